({
  // Runs the Omni toolkit call the LWC asks for and hands the answer back. Nothing else.
  relay: function (component, event) {
    var request = event.getParams();
    var toolkit = component.find('omniToolkit');
    var sync = component.find('sync');
    var call =
      request.action === 'set'
        ? toolkit.setServicePresenceStatus({ statusId: request.statusId })
        : toolkit.getServicePresenceStatusId();
    call.then(
      function (result) {
        sync.omniResult(request.requestId, (result && result.statusId) || null, null);
      },
      function (error) {
        sync.omniResult(request.requestId, null, String((error && error.message) || error));
      },
    );
  },
});

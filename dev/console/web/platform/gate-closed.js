// Gates of lightning-base-components that must stay closed outside Salesforce.
export default { isOpen: () => false };

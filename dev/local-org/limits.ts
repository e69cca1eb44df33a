/**
 * The `/limits` resource's full key set (REST API Developer Guide, "Limits": "Lists information
 * about limits in your org… Max and Remaining"), with Developer Edition figures ("Salesforce
 * Developer Limits and Allocations Quick Reference"). DailyApiRequests, the platform-event
 * allocations and DataStorageMB are live; the rest are the allocation with nothing used, and every
 * figure can be overridden with the `limits` option of `startLocalOrg`.
 */
export const DEFAULT_LIMITS: Record<string, number> = {
  ActiveScratchOrgs: 3,
  AnalyticsExternalDataSizeMB: 40960,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentEinsteinDataInsightsStoryCreation: 5,
  ConcurrentEinsteinDiscoveryStoryCreation: 2,
  ConcurrentSyncReportRuns: 20,
  DailyAnalyticsDataflowJobExecutions: 60,
  DailyAnalyticsUploadedFilesSizeMB: 51200,
  DailyApiRequests: 15000,
  DailyAsyncApexExecutions: 250000,
  DailyAsyncApexTests: 500,
  DailyBulkApiBatches: 15000,
  DailyBulkV2QueryFileStorageMB: 976562,
  DailyBulkV2QueryJobs: 10000,
  DailyDeliveredPlatformEvents: 10000,
  DailyDurableGenericStreamingApiEvents: 10000,
  DailyDurableStreamingApiEvents: 10000,
  DailyEinsteinDataInsightsStoryCreation: 1000,
  DailyEinsteinDiscoveryPredictAPICalls: 50000,
  DailyEinsteinDiscoveryPredictionsByCDC: 500000,
  DailyEinsteinDiscoveryStoryCreation: 100,
  DailyFunctionsApiCallLimit: 235000,
  DailyGenericStreamingApiEvents: 10000,
  DailyScratchOrgs: 6,
  DailyStandardVolumePlatformEvents: 10000,
  DailyStreamingApiEvents: 10000,
  DailyWorkflowEmails: 15,
  DataStorageMB: 5,
  DurableStreamingApiConcurrentClients: 20,
  FileStorageMB: 20,
  HourlyAsyncReportRuns: 1200,
  HourlyDashboardRefreshes: 200,
  HourlyDashboardResults: 5000,
  HourlyDashboardStatuses: 999999999,
  HourlyLongTermIdMapping: 100000,
  HourlyManagedContentPublicRequests: 50000,
  HourlyODataCallout: 10000,
  HourlyPublishedPlatformEvents: 50000,
  HourlyPublishedStandardVolumePlatformEvents: 1000,
  HourlyShortTermIdMapping: 100000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 10,
  MonthlyEinsteinDiscoveryStoryCreation: 500,
  MonthlyPlatformEventsUsageEntitlement: 0,
  Package2VersionCreates: 6,
  Package2VersionCreatesWithoutValidation: 500,
  PermissionSetsAssigned: 1500,
  PrivateConnectOutboundCalloutHourlyLimitMB: 0,
  PublishCallbackUsageInApex: 5000000,
  SingleEmail: 15,
  StreamingApiConcurrentClients: 20,
};

/** Data storage as Salesforce counts it: most records take 2 KB (Salesforce Help, "Data and File Storage Allocations"). */
export const KB_PER_RECORD = 2;

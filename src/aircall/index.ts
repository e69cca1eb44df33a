export * from './schemas';
export { isAcceptedToken } from './token';
export { MAX_WEBHOOK_DEPTH, nestsDeeperThan } from './depth';

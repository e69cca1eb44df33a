export * from './schemas';
export { isAcceptedToken } from './token';

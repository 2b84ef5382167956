export { startLocalRedis as startTestRedis, type LocalRedis as TestRedis } from './localRedisServer';

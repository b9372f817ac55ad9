export type * from './common.js';
export type * from './datasets.js';
export type * from './queries.js';
export type * from './querydsl.js';
export type * from './fino.js';
export type * from './connections.js';
export type * from './visualizations.js';
export type * from './rbac.js';

/**
 * Server options: command-line flags win over environment variables, which win over defaults.
 */
import { resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  bodyLimit: number;
  accessKey?: string;
  secretKey?: string;
  masterKey?: string;
  logLevel: LogLevel;
  /** Accept HTTP Basic `accessKey:secretKey` besides SigV4 (Elasticsearch tooling); TLS only. */
  esBasicAuth: boolean;
  /** SQL statements are cancelled after this long (a request may ask for less). */
  sqlTimeoutMs: number;
  /** Most rows a SQL read returns (a request may ask for fewer); beyond it `truncated` is true. */
  sqlMaxRows: number;
  /** DuckDB's memory limit, e.g. `4GB` (DuckDB's default: 80 % of RAM); queries beyond it spill or fail. */
  memoryLimit?: string;
  /** PromQL: longest query time (Prometheus's --query.timeout, 2m). */
  promqlTimeoutMs: number;
  /** PromQL: most samples a query may hold (Prometheus's --query.max-samples, 50M). */
  promqlMaxSamples: number;
}

/** Flag values as commander hands them over (strings, all optional). */
export interface ConfigFlags {
  port?: string | number;
  host?: string;
  data?: string;
  bodyLimit?: string | number;
  logLevel?: string;
  esBasicAuth?: boolean;
  sqlTimeout?: string | number;
  sqlMaxRows?: string | number;
  memoryLimit?: string;
  queryTimeout?: string | number;
  queryMaxSamples?: string | number;
}

export const DEFAULT_BODY_LIMIT = 100 * 1024 * 1024;

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

/** Bytes from `1048576`, `512kb`, `100mb`, `1gb` (binary units, as Elasticsearch reads them). */
export function parseSize(text: string | number, what: string): number {
  if (typeof text === 'number') return text;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`${what}: expected a size such as 104857600 or 100mb, got "${text}"`);
  const n = Math.floor(Number(m[1]) * unit);
  if (n < 1) throw new Error(`${what} must be at least 1 byte`);
  return n;
}

function parsePort(text: string | number, what: string): number {
  const n = typeof text === 'number' ? text : Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what}: expected a port 0-65535, got "${text}"`);
  return n;
}

function parsePositiveInt(text: string | number, what: string): number {
  const n = typeof text === 'number' ? text : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: expected a whole number ≥ 1, got "${text}"`);
  return n;
}

/** An on/off environment variable: 1/true/yes/on or 0/false/no/off (case-insensitive). */
export function parseSwitch(text: string | undefined, what: string): boolean | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const v = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`${what}: expected 1/true/yes/on or 0/false/no/off, got "${text}"`);
}

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const level = (flags.logLevel ?? nonEmpty(env.INFINO_LOG_LEVEL) ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new Error(`log level must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port: parsePort(flags.port ?? nonEmpty(env.INFINO_PORT) ?? 8080, flags.port !== undefined ? '--port' : 'INFINO_PORT'),
    host: flags.host ?? nonEmpty(env.INFINO_HOST) ?? '127.0.0.1',
    dataDir: resolve(flags.data ?? nonEmpty(env.INFINO_DATA) ?? './data'),
    bodyLimit: parseSize(
      flags.bodyLimit ?? nonEmpty(env.INFINO_BODY_LIMIT) ?? DEFAULT_BODY_LIMIT,
      flags.bodyLimit !== undefined ? '--body-limit' : 'INFINO_BODY_LIMIT',
    ),
    accessKey: nonEmpty(env.INFINO_ACCESS_KEY),
    secretKey: nonEmpty(env.INFINO_SECRET_KEY),
    masterKey: nonEmpty(env.INFINO_MASTER_KEY),
    logLevel: level,
    esBasicAuth: flags.esBasicAuth ?? parseSwitch(env.INFINO_ES_BASIC_AUTH, 'INFINO_ES_BASIC_AUTH') ?? false,
    sqlTimeoutMs: parsePositiveInt(flags.sqlTimeout ?? nonEmpty(env.INFINO_SQL_TIMEOUT_MS) ?? 30_000, flags.sqlTimeout !== undefined ? '--sql-timeout' : 'INFINO_SQL_TIMEOUT_MS'),
    sqlMaxRows: parsePositiveInt(flags.sqlMaxRows ?? nonEmpty(env.INFINO_SQL_MAX_ROWS) ?? 10_000, flags.sqlMaxRows !== undefined ? '--sql-max-rows' : 'INFINO_SQL_MAX_ROWS'),
    memoryLimit: flags.memoryLimit ?? nonEmpty(env.INFINO_MEMORY_LIMIT),
    promqlTimeoutMs: parsePositiveInt(
      flags.queryTimeout ?? nonEmpty(env.INFINO_QUERY_TIMEOUT_MS) ?? 120_000,
      flags.queryTimeout !== undefined ? '--query-timeout' : 'INFINO_QUERY_TIMEOUT_MS',
    ),
    promqlMaxSamples: parsePositiveInt(
      flags.queryMaxSamples ?? nonEmpty(env.INFINO_QUERY_MAX_SAMPLES) ?? 50_000_000,
      flags.queryMaxSamples !== undefined ? '--query-max-samples' : 'INFINO_QUERY_MAX_SAMPLES',
    ),
  };
}

/**
 * The dialect for a visualization's `source.connector_id` (protocol §3.7). No connector means our
 * own engine; Oracle has no Builder dialect (its time truncation and row limiting differ too much),
 * so Builder mode is refused there with a pointer to raw SQL; any other id runs as the default
 * dialect with an `unknown_connector_id` warning.
 */
import type { VizWarning } from '@infino/sdk';
import { bigqueryDialect } from './bigquery.js';
import { invalid, type SqlDialect } from './dialect.js';
import { mysqlDialect } from './mysql.js';
import { nativeDialect, postgresDialect, snowflakeDialect } from './native.js';

export { type SqlDialect, bareIdent, unquoteIdent, utcTimestampText, TIME_BUCKETS } from './dialect.js';
export { bigqueryDialect, mysqlDialect, nativeDialect, postgresDialect, snowflakeDialect };

const KNOWN: Record<string, SqlDialect> = {
  mysql: mysqlDialect,
  bigquery: bigqueryDialect,
  snowflake: snowflakeDialect,
  postgres: postgresDialect,
};

export function dialectFor(connectorId: string | null | undefined): { dialect: SqlDialect; warnings: VizWarning[] } {
  if (connectorId === null || connectorId === undefined || connectorId === '') return { dialect: nativeDialect, warnings: [] };
  if (connectorId === 'oracle_db') {
    throw invalid(
      'Builder mode does not support connector_id `oracle_db` (no Oracle SQL dialect for generated queries): write the query in `source.sql.raw_query` instead',
    );
  }
  const known = Object.hasOwn(KNOWN, connectorId) ? KNOWN[connectorId] : undefined;
  if (known) return { dialect: known, warnings: [] };
  return {
    dialect: nativeDialect,
    warnings: [
      {
        code: 'unknown_connector_id',
        message: `connector_id '${connectorId}' is not one of mysql, bigquery, snowflake, postgres, oracle_db: the default dialect (double-quoted identifiers, DATE_TRUNC) was used`,
      },
    ],
  };
}

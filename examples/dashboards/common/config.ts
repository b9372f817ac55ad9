/**
 * Credentials and dataset names for the dashboard examples (the Python SDK's
 * `examples/dashboards/common/config.py`, in TypeScript).
 */
import { InfinoClient } from '@infino/sdk';

export const DEMO_DATASET = process.env.INFINO_DEMO_DATASET ?? 'flexlm_cdslmd.rel';
export const DEMO_MAPPING_DATASET = process.env.INFINO_DEMO_MAPPING_DATASET ?? 'cdn_product_feature_mapping.rel';

/** A client from INFINO_ACCESS_KEY / INFINO_SECRET_KEY / INFINO_ENDPOINT, or an exit with what to set. */
export function clientFromEnv(): InfinoClient {
  const accessKey = process.env.INFINO_ACCESS_KEY ?? '';
  const secretKey = process.env.INFINO_SECRET_KEY ?? '';
  const endpoint = process.env.INFINO_ENDPOINT ?? 'http://127.0.0.1:8000';
  if (!accessKey || !secretKey) {
    console.error('Missing credentials. Please set environment variables:');
    console.error("  export INFINO_ACCESS_KEY='your_key'");
    console.error("  export INFINO_SECRET_KEY='your_secret'");
    console.error('  (`infino serve` prints the bootstrap key pair on first start)');
    process.exit(1);
  }
  return new InfinoClient({ accessKey, secretKey, endpoint });
}

/** True when the module was started as a script (`npx tsx examples/dashboards/<name>.ts`). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && new URL(moduleUrl).pathname === process.argv[1];
}

/**
 * A deterministic FlexLM-style license dataset so the examples run on a fresh server: license-server
 * events (`flexlm_cdslmd.rel`) and a feature → design-stage mapping (`cdn_product_feature_mapping.rel`),
 * the two datasets the Python examples query.
 */
import type { InfinoClient } from '@infino/sdk';

const FEATURES: Array<[feature: string, stage: string, product: string]> = [
  ['AMS_Designer', 'Custom Design', 'Virtuoso'],
  ['Spectre_Simulator', 'Simulation', 'Spectre'],
  ['Genus_Synthesis', 'Synthesis', 'Genus'],
  ['Innovus_Impl', 'Implementation', 'Innovus'],
  ['Tempus_STA', 'Signoff', 'Tempus'],
  ['Xcelium_Sim', 'Simulation', 'Xcelium'],
  ['Voltus_Power', 'Signoff', 'Voltus'],
  ['Conformal_LEC', 'Verification', 'Conformal'],
];
const EVENT_TYPES = ['OUT', 'IN', 'DENIED'] as const;

/** mulberry32: a tiny seeded PRNG, so every run loads the same events. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoEvent {
  '@timestamp': string;
  event_type: (typeof EVENT_TYPES)[number];
  feature_name: string;
  user: string;
  host: string;
}

/** `count` events spread over April–May 2026, skewed so the charts have a clear ranking. */
export function demoEvents(count = 2000, seed = 42): DemoEvent[] {
  const rand = prng(seed);
  const start = Date.parse('2026-04-01T00:00:00Z');
  const span = Date.parse('2026-06-01T00:00:00Z') - start;
  return Array.from({ length: count }, () => {
    // Squaring skews the pick towards the first features (a long tail of rarely used ones).
    const feature = FEATURES[Math.floor(rand() ** 2 * FEATURES.length)][0];
    return {
      '@timestamp': new Date(start + Math.floor(rand() * span)).toISOString(),
      event_type: EVENT_TYPES[Math.floor(rand() * EVENT_TYPES.length)],
      feature_name: feature,
      user: `user${Math.floor(rand() * 25)}`,
      host: `lic${Math.floor(rand() * 3)}.example.com`,
    };
  });
}

/** Load both datasets (idempotent ids, so loading twice does not duplicate). */
export async function loadDemoData(sdk: InfinoClient, dataset: string, mappingDataset: string): Promise<number> {
  const events = demoEvents();
  const lines = events.flatMap((e, i) => [JSON.stringify({ index: { _id: `evt-${i}` } }), JSON.stringify(e)]);
  await sdk.uploadJsonToDataset(dataset, lines.join('\n') + '\n');
  const mapping = FEATURES.flatMap(([feature, stage, product]) => [
    JSON.stringify({ index: { _id: feature } }),
    JSON.stringify({ 'Feature Name': feature, 'Primary Stage': stage, Product: product }),
  ]);
  await sdk.uploadJsonToDataset(mappingDataset, mapping.join('\n') + '\n');
  return events.length;
}

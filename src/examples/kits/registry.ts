/** The kits by name, each loaded only when it runs. */
import type { Kit } from './kit.js';

export const KIT_NAMES = ['fraud', 'intrusion', 'equipment', 'vitals', 'prices', 'image-defects'] as const;
export type KitName = (typeof KIT_NAMES)[number];

const loaders: Record<KitName, () => Promise<Kit>> = {
  fraud: async () => (await import('./fraud/kit.js')).fraudKit,
  intrusion: async () => (await import('./intrusion/kit.js')).intrusionKit,
  equipment: async () => (await import('./equipment/kit.js')).equipmentKit,
  vitals: async () => (await import('./vitals/kit.js')).vitalsKit,
  prices: async () => (await import('./prices/kit.js')).pricesKit,
  'image-defects': async () => (await import('./image-defects/kit.js')).imageDefectsKit,
};

export function isKitName(name: string): name is KitName {
  return (KIT_NAMES as readonly string[]).includes(name);
}

export function loadKit(name: KitName): Promise<Kit> {
  return loaders[name]();
}

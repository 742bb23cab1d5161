// Tags of a custom-metric or check sample, assembled only when a sub-metric must be matched:
// the script's own tags first, then k6's system tags (scenario, group) and the scenario's tags.
import type { TagSource } from '../metrics/registry.js';
import type { VuState } from './vu.js';

export class SampleTags implements TagSource {
  constructor(
    private readonly vu: VuState,
    private readonly own: Readonly<Record<string, unknown>> | undefined,
    private readonly extraKey?: string,
    private readonly extraValue?: string,
  ) {}

  tag(key: string): string | undefined {
    const own = this.own?.[key];
    if (own !== undefined) return String(own);
    if (key === this.extraKey) return this.extraValue;
    if (key === 'scenario') return this.vu.scenario?.name ?? 'default';
    if (key === 'group') return this.vu.group.path;
    const vuTag = this.vu.tags[key];
    if (vuTag !== undefined) return String(vuTag);
    return this.vu.scenario?.tags[key];
  }
}

// Errors the engine raises before any load is generated, so a caller (gomall bench) can print
// them as one line: the scenario cannot be bundled, imports something unsupported, throws in
// its init context, or declares options/thresholds the engine cannot honour.
export class ScenarioLoadError extends Error {
  override readonly name = 'ScenarioLoadError';
}

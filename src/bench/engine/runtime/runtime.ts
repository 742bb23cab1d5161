// Everything one run shares between the k6 modules and the executors: metrics, checks, the HTTP
// client, the phase (init / setup / run / teardown) and the current VU of whatever code runs now.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GroupNode } from '../checks/group-tree.js';
import { HttpClient } from '../http/client.js';
import { DEFAULT_EXPECTED, type ExpectedStatuses } from '../http/expected-statuses.js';
import { HttpRecorder } from '../http/http-recorder.js';
import type { ResponseType } from '../http/response.js';
import { defineBuiltinMetrics, type BuiltinMetrics } from '../metrics/builtin.js';
import { LogHistogram } from '../metrics/histogram.js';
import { MetricRegistry } from '../metrics/registry.js';
import type { EngineLogLevel } from '../types.js';
import type { ScriptFacade } from './facade.js';
import { ScriptErrors } from './script-errors.js';
import { VuState } from './vu.js';

export type Phase = 'init' | 'setup' | 'run' | 'teardown' | 'summary';

export type LogFn = (level: EngineLogLevel, message: string) => void;

/** Thrown by exec.test.abort() to end the calling iteration without counting it as a script error. */
export class TestAbortSignal extends Error {
  override readonly name = 'TestAbortSignal';
}

export class EngineRuntime {
  readonly id = randomUUID();
  readonly als = new AsyncLocalStorage<VuState>();
  readonly registry = new MetricRegistry();
  readonly metrics: BuiltinMetrics;
  readonly rootGroup = GroupNode.root();
  /** http_req_duration of the current second, for the timeline. */
  readonly secondLatency = new LogHistogram();
  readonly recorder: HttpRecorder;
  readonly errors: ScriptErrors;
  readonly initVu: VuState;
  readonly sharedArrays = new Map<string, unknown[]>();
  readonly failMessages: string[] = [];
  readonly instance = {
    iterationsCompleted: 0,
    iterationsInterrupted: 0,
    vusActive: 0,
    vusInitialized: 0,
  };
  phase: Phase = 'init';
  responseCallback: ExpectedStatuses | null = DEFAULT_EXPECTED;
  defaultResponseType: ResponseType = 'text';
  /** The script's options after overrides, as exec.test.options shows them. */
  options: Readonly<Record<string, unknown>> = {};
  /** performance.now() when the test run (setup included) started. */
  startedAt = performance.now();
  private http: HttpClient | undefined;
  private nextVuId = 1;
  private abortListener: ((reason: string) => void) | undefined;

  constructor(
    readonly scenarioFile: string,
    readonly env: Record<string, string>,
    readonly log: LogFn,
  ) {
    this.metrics = defineBuiltinMetrics(this.registry);
    this.recorder = new HttpRecorder(this.metrics, this.secondLatency);
    this.errors = new ScriptErrors(log);
    this.initVu = new VuState(0, this.rootGroup, undefined, env);
  }

  currentVu(): VuState {
    return this.als.getStore() ?? this.initVu;
  }

  newVu(scenario: VuState['scenario']): VuState {
    this.instance.vusInitialized++;
    return new VuState(this.nextVuId++, this.rootGroup, scenario, this.env);
  }

  startHttp(connections: number): void {
    this.http ??= new HttpClient(connections);
  }

  httpClient(): HttpClient {
    if (this.http === undefined || this.phase === 'init') {
      throw new Error(
        'HTTP requests are not allowed in the init context (move them into default(), setup() or teardown())',
      );
    }
    return this.http;
  }

  async closeHttp(): Promise<void> {
    await this.http?.close();
  }

  requireInit(what: string): void {
    if (this.phase !== 'init')
      throw new Error(`${what} can only be called in the init context (top level of the script)`);
  }

  onAbort(listener: (reason: string) => void): void {
    this.abortListener = listener;
  }

  /** exec.test.abort() and failing abortOnFail thresholds end the run through here. */
  abort(reason: string): void {
    this.abortListener?.(reason);
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  /** What the bundle sees through its banner: the k6 modules and the k6 globals. */
  facade(modules: ScriptFacade['modules']): ScriptFacade {
    const vu = (): VuState => this.currentVu();
    const requireInit = (what: string): void => this.requireInit(what);
    const baseDir = dirname(this.scenarioFile);
    return {
      modules,
      get env() {
        return vu().env;
      },
      get vu() {
        return vu().idInTest;
      },
      get iter() {
        return vu().iterationInScenario;
      },
      open(path: string, mode?: string) {
        requireInit('open()');
        const bytes = readFileSync(resolve(baseDir, path));
        if (mode === 'b')
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        return bytes.toString('utf8');
      },
    };
  }
}

// The `k6/execution` module: live views of the current scenario, VU, instance and test. Every
// property is a getter that reads the VU running the calling code.
import { TestAbortSignal, type EngineRuntime } from '../runtime/runtime.js';

export function createExecutionModule(rt: EngineRuntime): Record<string, unknown> {
  const vu = () => rt.currentVu();

  const scenario = {
    get name() {
      return vu().scenario?.name ?? '';
    },
    get executor() {
      return vu().scenario?.executor ?? '';
    },
    get startTime() {
      return vu().scenario?.startTime ?? 0;
    },
    get progress() {
      return vu().scenario?.progress() ?? 0;
    },
    get iterationInInstance() {
      return vu().iterationInTest;
    },
    get iterationInTest() {
      return vu().iterationInTest;
    },
  };

  const vuView = {
    get idInInstance() {
      return vu().idInTest;
    },
    get idInTest() {
      return vu().idInTest;
    },
    get iterationInInstance() {
      return vu().iterationInInstance;
    },
    get iterationInScenario() {
      return vu().iterationInScenario;
    },
    get tags() {
      return vu().tags;
    },
    get metrics() {
      return { tags: vu().tags, metadata: {} };
    },
  };

  const instance = {
    get iterationsCompleted() {
      return rt.instance.iterationsCompleted;
    },
    get iterationsInterrupted() {
      return rt.instance.iterationsInterrupted;
    },
    get vusActive() {
      return rt.instance.vusActive;
    },
    get vusInitialized() {
      return rt.instance.vusInitialized;
    },
    get currentTestRunDuration() {
      return rt.elapsedMs();
    },
  };

  const test = {
    abort(reason?: string): never {
      const why =
        reason === undefined || reason === ''
          ? 'exec.test.abort() called'
          : `exec.test.abort(): ${reason}`;
      rt.abort(why);
      throw new TestAbortSignal(why);
    },
    fail(message?: string): void {
      const why = message ?? 'exec.test.fail() called';
      rt.failMessages.push(why);
      rt.log('warn', `test marked as failed: ${why}`);
    },
    get options() {
      return rt.options;
    },
  };

  return { scenario, vu: vuView, instance, test };
}

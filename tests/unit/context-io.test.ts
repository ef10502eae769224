/** What the Context hands commands in place of the process: the working folder and the exit hook (issue 17, the Io seam). */
import { describe, expect, it } from 'vitest';
import { createContext, type ContextOptions } from '../../src/kit/context.js';

const base: ContextOptions = { flags: {}, env: {}, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, onSignal: () => () => undefined };

describe('Context: cwd and onExit', () => {
  it('carries the working folder and the exit hook it was handed', () => {
    const hook = () => () => undefined;
    const context = createContext({ ...base, cwd: '/somewhere/else', onExit: hook });
    expect(context.cwd).toBe('/somewhere/else');
    expect(context.onExit).toBe(hook);
  });

  it("defaults to the process's own: its folder, and its 'exit' event, listened to until unsubscribed", () => {
    const context = createContext(base);
    expect(context.cwd).toBe(process.cwd());
    const before = process.listenerCount('exit');
    const stop = context.onExit(() => undefined);
    expect(process.listenerCount('exit')).toBe(before + 1);
    stop();
    expect(process.listenerCount('exit')).toBe(before);
  });
});

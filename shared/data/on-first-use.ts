/**
 * A value made on first use instead of at cold start — an SDK client and its package, mostly: a
 * dynamic `import()` of an external package is all esbuild leaves lazy, and each client package
 * costs ~10–25 ms of a cold import (docs/decisions.md "Cold starts and bundle sizes"). A failed
 * load is tried again on the next call rather than cached.
 */
export const onFirstUse = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
};

/**
 * aws-local-stepfunctions 3.0.0 (the only release) declares Node >= 22 and awaits `Promise.withResolvers` in
 * every Task; Node 20 lacks it. This is that one function, as the standard defines it.
 */
const promises = Promise as PromiseConstructor & { withResolvers?: unknown };
if (typeof promises.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve: (value: T | PromiseLike<T>) => void = () => {};
      let reject: (reason?: unknown) => void = () => {};
      const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};

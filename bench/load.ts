/** One autocannon run as a promise: the load every HTTP measure and warm-up of the bench applies. */
import autocannon from 'autocannon';

export const runLoad = (options: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });

// Module resolve hook (node:module register): loads one package from another place (see postgres-access.ts).

/** @type {{ specifier: string; url: string } | undefined} */
let redirect;

/** @param {{ specifier: string; url: string }} data */
export function initialize(data) {
  redirect = data;
}

/**
 * @param {string} specifier
 * @param {unknown} context
 * @param {(specifier: string, context: unknown) => unknown} nextResolve
 */
export function resolve(specifier, context, nextResolve) {
  if (redirect && specifier === redirect.specifier) return { url: redirect.url, shortCircuit: true };
  return nextResolve(specifier, context);
}

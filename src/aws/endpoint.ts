/** Where the collection's calls go, as error lines name it. No SDK import: the audit pipeline names it without loading the SDK. */
export function endpointOf(options: { endpointUrl?: string; endpointLabel?: string }): string {
  return options.endpointUrl ?? options.endpointLabel ?? 'its regional endpoints';
}

// Modules the console's bundler generates (src/console/bundle.ts).

declare module 'console/package' {
  /** The package's LWC bundles, with the constructors of those targeted at the utility bar. */
  const components: { name: string; label: string; targets: string[]; ctor: unknown }[];
  export default components;
}

declare module '@salesforce/schema/*' {
  const reference: { objectApiName: string; fieldApiName?: string };
  export default reference;
}

declare module '@lwc/synthetic-shadow';

// Modules the console's bundler generates (dev/console/server/bundle.ts).

declare module 'console/package' {
  /** The package's LWC bundles, with the constructors of those targeted at the utility bar. */
  const components: {
    name: string;
    label: string;
    targets: string[];
    /** Set for utility bar items. */
    ctor: unknown;
    /** The Aura utility item wrapping this LWC, if any. */
    aura: string | null;
    /** The wrapper gives the LWC the Omni toolkit (it answers `omnirequest` events). */
    omniToolkit: boolean;
  }[];
  export default components;
}

declare module '@salesforce/schema/*' {
  const reference: { objectApiName: string; fieldApiName?: string };
  export default reference;
}

declare module '@lwc/synthetic-shadow';

declare module '@salesforce/user/Id' {
  const id: string | null;
  export default id;
}

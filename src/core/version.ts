/** Version of the plugin contract; plugins may constrain it with `engines.tracelet`. */
export const CORE_VERSION = '0.1.0';

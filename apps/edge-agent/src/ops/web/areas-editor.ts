/** How the editor's apply reaches the config file; `unavailable` says why it cannot. */
export type AreasEditor =
  | {
      /** The `--config` file. */
      readonly file: string;
      /** Throws (a `ConfigError`) when this whole config text would not run. */
      check(text: string): void;
      /** The SIGHUP path: re-reads the file, validates it, reloads the agent; the cameras it changed. */
      reload(): Promise<{ readonly changed: readonly string[] }>;
    }
  | { readonly unavailable: string };

/** What installing the app for one person through Microsoft Graph came to. */
export interface GraphInstallResult {
  /**
   * `installed`: the app is installed for them (now, or it already was); Teams sends the
   * personal install event and the bot's chat with them follows. `refused`: Graph said no for a
   * reason trying again will not change. `failed`: Graph could not be asked (no token, a timeout,
   * an answer that made no sense, still throttled): the next run tries again.
   */
  readonly outcome: 'installed' | 'refused' | 'failed';
  /**
   * `installed`, `already_installed`, `user_not_found`, `app_not_in_catalogue`,
   * `permission_missing`, `no_licence`, `throttled`, `failed`.
   */
  readonly code: string;
  /** In plain words, for `people reach` and the admins. */
  readonly reason: string;
  /** The Entra object id Graph found for the address. */
  readonly userId?: string;
}

/**
 * Installs the Teams app for a person the bot cannot reach otherwise: looks the address up in the
 * directory (by user principal name, then by mail) and installs the app from the organisation's
 * catalogue for them. Implemented on Microsoft Graph in src/graph; present only when configured
 * (`GRAPH_INSTALL_ENABLED`).
 */
export interface TeamsAppInstaller {
  installFor(address: string): Promise<GraphInstallResult>;
}

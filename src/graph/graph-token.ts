import { DefaultAzureCredential } from '@azure/identity';

/**
 * A bearer token for Microsoft Graph from DefaultAzureCredential (the user-assigned managed
 * identity in Azure, `AZURE_CLIENT_ID`; `az login` on a workstation), kept until five minutes
 * before it expires.
 */
export function graphTokenSource(
  scope: string,
  managedIdentityClientId?: string,
): () => Promise<string> {
  const credential = new DefaultAzureCredential(
    managedIdentityClientId ? { managedIdentityClientId } : {},
  );
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && cached.expiresAt - 5 * 60_000 > Date.now()) return cached.token;
    const token = await credential.getToken(scope);
    if (!token) throw new Error('DefaultAzureCredential gave no token');
    cached = { token: token.token, expiresAt: token.expiresOnTimestamp };
    return token.token;
  };
}

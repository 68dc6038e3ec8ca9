// The Action Plan bot in Azure, in one resource group:
//
//   storage account ── tables (plans, people, reminders) and queues (reminder sends)
//   user-assigned managed identity ── the bot's identity to Teams (no client secret) and the
//                                     app's identity to storage (RBAC, no account key)
//   App Service plan + Linux web app (Node 20, Always On, health check /healthz)
//   Azure Bot (the managed identity as its app) with the Microsoft Teams channel
//   Log Analytics workspace + Application Insights
//
// Deployed by the Agents Toolkit (m365agents.yml, `provision`) with main.parameters.json, or by
// hand: az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json
// (see docs/OPERATIONS.md). Every setting the app reads is either set in `appSettings` below or
// listed in docs/OPERATIONS.md as one a deployment leaves unset; test/unit/infra checks both.

@description('Base of every resource name: 3 to 20 lower-case letters, digits or hyphens.')
@minLength(3)
@maxLength(20)
param resourceBaseName string

@description('Region for everything but the bot (Azure Bot is global).')
param location string = resourceGroup().location

@description('App Service plan size. Always On needs Basic (B1) or above.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'])
param appServicePlanSku string = 'B1'

@description('Web app instances. More than one is safe: the reminder lease and delivery records keep every reminder to one send.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Storage redundancy.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_GZRS'])
param storageSku string = 'Standard_ZRS'

@description('The bot\'s name in Azure and in Teams\' bot settings.')
@maxLength(42)
param botDisplayName string = 'Action Plan'

@description('Plan admins, comma-separated email addresses (ADMIN_EMAILS). Admins can also be recorded with the CLI.')
param adminEmails string = ''

@description('Tenants whose people may use the bot, comma-separated (ALLOWED_TENANT_IDS). Empty: this deployment\'s own tenant only.')
param allowedTenantIds string = ''

@description('Time zone of newly imported plans (PLAN_TIME_ZONE).')
param planTimeZone string = 'Europe/London'

@description('Log level (LOG_LEVEL).')
@allowed(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
param logLevel string = 'info'

@description('Install the app through Microsoft Graph for owners in no team the bot is in (GRAPH_INSTALL_ENABLED; a string, as the Agents Toolkit fills the parameters file with text). Needs the Graph application permissions in docs/OPERATIONS.md, granted by an administrator: a template cannot grant them.')
@allowed(['true', 'false'])
param graphInstallEnabled string = 'false'

@description('The Teams app\'s manifest id (TEAMS_APP_ID): Graph finds the app in the organisation\'s catalogue by it.')
param teamsAppId string = ''

@description('Optional: the app\'s id in the organisation\'s app catalogue (TEAMS_APP_CATALOG_ID), written by `atk publish`. Empty: found by the manifest id.')
param teamsAppCatalogId string = ''

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Optional: an Entra object id (a person or, better, a group) given the same storage roles as the app, for running `actionplan import`, `backup` and `restore` with `az login`. Empty: none.')
param operatorPrincipalId string = ''

@description('What operatorPrincipalId is.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param operatorPrincipalType string = 'Group'

var baseName = toLower(resourceBaseName)
// Globally unique names, stable for this resource group.
var suffix = uniqueString(resourceGroup().id, baseName)
var storageAccountName = 'st${take(replace(baseName, '-', ''), 9)}${suffix}' // at most 24
var webAppName = '${baseName}-${suffix}'
var tenantId = tenant().tenantId

// Built-in roles (ids are the same in every tenant).
var storageRoles = {
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
}

// ── Monitoring ──────────────────────────────────────────────────────────────────────────────

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${baseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// ── Identity ────────────────────────────────────────────────────────────────────────────────

// One identity for both jobs: the bot's app id in Teams (msaAppType UserAssignedMSI) and the
// app's sign-in to storage. Nothing to rotate: Azure manages its credentials.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-identity'
  location: location
}

// ── Storage ─────────────────────────────────────────────────────────────────────────────────

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: { name: storageSku }
  properties: {
    // Entra ID (RBAC) only: no account key can be used, so none can leak.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

// The app creates the tables and queues it needs on first use (their names are settings).
resource appStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(storageRoles): {
    name: guid(storage.id, identity.id, role.value)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource operatorStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(storageRoles): if (!empty(operatorPrincipalId)) {
    name: guid(storage.id, operatorPrincipalId, role.value)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
      principalId: operatorPrincipalId
      principalType: operatorPrincipalType
    }
  }
]

// ── Web app ─────────────────────────────────────────────────────────────────────────────────

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Any instance can take any request: nothing is kept in memory between requests.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/src/serve.js'
      alwaysOn: true
      // 200 only while storage answers; an instance failing it is taken out of rotation.
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Storage, through the managed identity (src/config.ts: AZURE_STORAGE_ACCOUNT_URL).
        { name: 'AZURE_STORAGE_ACCOUNT_URL', value: storage.properties.primaryEndpoints.table }
        { name: 'AZURE_STORAGE_QUEUE_URL', value: storage.properties.primaryEndpoints.queue }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        // The bot's identity to Teams: the same managed identity, no secret.
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        { name: 'ALLOWED_TENANT_IDS', value: empty(allowedTenantIds) ? tenantId : allowedTenantIds }
        { name: 'ADMIN_EMAILS', value: adminEmails }
        { name: 'PLAN_TIME_ZONE', value: planTimeZone }
        { name: 'LOG_LEVEL', value: logLevel }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        // Reaching owners in no team: the app installed for them through Microsoft Graph.
        { name: 'GRAPH_INSTALL_ENABLED', value: graphInstallEnabled }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
        { name: 'TEAMS_APP_CATALOG_ID', value: teamsAppCatalogId }
        // App Service's build: `npm install` (which builds, through `prepare`) on deployment.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
      ]
    }
  }
  dependsOn: [appStorageRoles]
}

// The app's standard error (its JSON log lines) and HTTP logs, kept in Log Analytics as well.
resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs'
  scope: webApp
  properties: {
    workspaceId: logs.id
    logs: [
      { category: 'AppServiceConsoleLogs', enabled: true }
      { category: 'AppServiceHTTPLogs', enabled: true }
      { category: 'AppServicePlatformLogs', enabled: true }
    ]
  }
}

// ── Bot ─────────────────────────────────────────────────────────────────────────────────────

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' } // the Teams channel is a standard channel: free
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}

// ── Outputs (the Agents Toolkit writes them to env/.env.<environment>) ─────────────────────

@description('The bot\'s app id, which fills the BOT_ID placeholder of appPackage/manifest.json.')
output BOT_ID string = identity.properties.clientId

@description('The web app\'s host name, which fills the manifest\'s BOT_DOMAIN placeholder (validDomains).')
output BOT_DOMAIN string = webApp.properties.defaultHostName

@description('Where m365agents.yml `deploy` sends the code.')
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id

@description('For the CLI on an operator\'s machine (with `az login`): import, backup, restore.')
output AZURE_STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.table

output AZURE_STORAGE_QUEUE_URL string = storage.properties.primaryEndpoints.queue

output APPLICATIONINSIGHTS_NAME string = appInsights.name

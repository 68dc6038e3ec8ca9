/**
 * The layer rules of docs/ARCHITECTURE.md, checked by `npm test`:
 * the domain imports nothing from src; use cases import the domain and ports only; only src/teams
 * imports botbuilder / teams-ai; only src/storage imports @azure/* (src/telemetry: Azure Monitor
 * and OpenTelemetry only); only entry points and container.ts import adapters.
 */
const ADAPTERS = '^src/(storage|teams|documents|cards|logging|telemetry)/';
const ENTRY_POINTS = '^src/(cli/|dev/|server\\.ts|serve\\.ts|scheduler\\.ts|container\\.ts)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain is plain TypeScript: no other layer of src, no SDK.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        pathNot: ['^src/domain/', '^node_modules/luxon', '^node_modules/@types/luxon'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'ports-know-only-the-domain',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { path: '^src/', pathNot: ['^src/(domain|ports)/'] },
    },
    {
      name: 'use-cases-depend-on-domain-and-ports',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/', pathNot: ['^src/(domain|ports|app)/'] },
    },
    {
      name: 'use-cases-import-no-sdk',
      severity: 'error',
      from: { path: '^src/(app|ports)/' },
      to: { path: '^node_modules/', pathNot: ['^node_modules/(luxon|@types/luxon)'] },
    },
    {
      name: 'only-teams-imports-bot-sdks',
      comment: 'botbuilder and teams-ai are legacy SDKs: keep them in one folder.',
      severity: 'error',
      from: { pathNot: '^src/teams/' },
      to: { path: '^node_modules/(botbuilder[^/]*|botframework-[^/]*|@microsoft/teams-ai)/' },
    },
    {
      name: 'only-storage-imports-azure',
      comment: 'Telemetry (src/telemetry) is the one other Azure SDK user: Azure Monitor.',
      severity: 'error',
      from: { pathNot: '^src/storage/' },
      to: {
        path: '^node_modules/(@azure/|azurite/)',
        pathNot: '^node_modules/@azure/monitor-opentelemetry/',
      },
    },
    {
      name: 'only-telemetry-imports-opentelemetry',
      severity: 'error',
      from: { pathNot: '^src/telemetry/' },
      to: { path: '^node_modules/(@azure/monitor-opentelemetry|@opentelemetry)/' },
    },
    {
      name: 'adapters-are-wired-by-entry-points',
      severity: 'error',
      from: { path: '^src/', pathNot: [ENTRY_POINTS, ADAPTERS] },
      to: { path: ADAPTERS },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};

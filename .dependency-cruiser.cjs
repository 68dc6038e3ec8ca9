/**
 * The layer rules of docs/ARCHITECTURE.md, checked by `npm test`:
 * the domain imports nothing from src (luxon for dates, zod for the shapes of stored records); use cases import the domain and ports only; only src/teams
 * imports botbuilder / teams-ai; only src/storage imports @azure/* (src/telemetry: Azure Monitor
 * and OpenTelemetry only; src/graph: @azure/identity only, for its Microsoft Graph token); only
 * entry points and container.ts import adapters.
 *
 * Tests and benchmarks are checked too, with rules of their own: nothing in src imports them; a
 * test imports src, test/helpers and the modules beside it, never another test file; the shared
 * helpers import src and each other only; a benchmark imports src, test/helpers and bench. The
 * SDK rules are about src: tests and benchmarks may call an SDK to check or measure it.
 */
const ADAPTERS = '^src/(storage|teams|graph|documents|cards|logging|telemetry)/';
const ENTRY_POINTS = '^src/(cli/|dev/|server\\.ts|serve\\.ts|scheduler\\.ts|container\\.ts)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'The domain is plain TypeScript: no other layer of src, no SDK. luxon does its date arithmetic; zod defines its stored records (types and checks, no I/O).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        pathNot: [
          '^src/domain/',
          '^node_modules/luxon',
          '^node_modules/@types/luxon',
          '^node_modules/zod/',
        ],
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
      comment: 'Ports may define the records they store with zod, as the domain does.',
      severity: 'error',
      from: { path: '^src/(app|ports)/' },
      to: { path: '^node_modules/', pathNot: ['^node_modules/(luxon|@types/luxon|zod)/'] },
    },
    {
      name: 'only-teams-imports-bot-sdks',
      comment: 'botbuilder and teams-ai are legacy SDKs: keep them in one folder.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/teams/' },
      to: { path: '^node_modules/(botbuilder[^/]*|botframework-[^/]*|@microsoft/teams-ai)/' },
    },
    {
      name: 'only-storage-imports-azure',
      comment:
        'Telemetry (src/telemetry) is one other Azure SDK user: Azure Monitor. The Microsoft Graph adapter (src/graph) is the other: @azure/identity alone, for the token it sends Graph.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/storage/', '^src/graph/'] },
      to: {
        path: '^node_modules/(@azure/|azurite/)',
        pathNot: '^node_modules/@azure/monitor-opentelemetry/',
      },
    },
    {
      name: 'graph-imports-only-azure-identity',
      severity: 'error',
      from: { path: '^src/graph/' },
      to: {
        path: '^node_modules/(@azure/|azurite/)',
        pathNot: '^node_modules/@azure/(identity|core-auth)/',
      },
    },
    {
      name: 'only-telemetry-imports-opentelemetry',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/telemetry/' },
      to: { path: '^node_modules/(@azure/monitor-opentelemetry|@opentelemetry)/' },
    },
    {
      name: 'adapters-are-wired-by-entry-points',
      severity: 'error',
      from: { path: '^src/', pathNot: [ENTRY_POINTS, ADAPTERS] },
      to: { path: ADAPTERS },
    },
    {
      name: 'src-imports-no-tests-or-benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'tests-import-no-test-files',
      comment: 'What two test files share belongs in test/helpers (or a module beside them).',
      severity: 'error',
      from: { path: '^(test|bench)/' },
      to: { path: '\\.test\\.ts$' },
    },
    {
      name: 'test-modules-stay-beside-their-tests',
      comment: 'A module in a test folder serves that folder; test/helpers serves every test.',
      severity: 'error',
      from: { path: '^test/(.+)/[^/]+$', pathNot: '^test/helpers/' },
      to: { path: '^(test|bench)/', pathNot: ['^test/helpers/', '^test/$1/[^/]+$'] },
    },
    {
      name: 'helpers-import-src-and-helpers',
      severity: 'error',
      from: { path: '^test/helpers/' },
      to: { path: '^(test|bench)/', pathNot: '^test/helpers/' },
    },
    {
      name: 'benchmarks-import-src-helpers-and-bench',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/helpers/' },
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

// A minimal Backstage backend: the software catalog, its "unprocessed entities" module,
// and a stand-in for Red Hat Developer Hub's AiModelServerAPI kind. The tests start it
// (tests/backstage_backend.py) with a config file they write, so Backstage itself judges
// what the Studio publishes.
//
//   node index.js --config app-config.yaml
'use strict';

const { createBackend } = require('@backstage/backend-defaults');
const { createBackendModule } = require('@backstage/backend-plugin-api');
const {
  catalogProcessingExtensionPoint,
  processingResult,
} = require('@backstage/plugin-catalog-node');
const {
  entityKindSchemaValidator,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} = require('@backstage/catalog-model');
const aiModelServerSchema = require('../reference/backstage-schema/kinds/AiModelServer.v1alpha1.schema.json');

// Plain Backstage knows no AiModelServerAPI kind and refuses it ("No processor recognized
// the entity"); Red Hat Developer Hub adds it with a processor like this one. It checks
// the kind's JSON Schema (reference/backstage-schema) and records the owner, nothing more.
// Kind API stays with Backstage's own API validator, so the schema here is narrowed.
const schema = JSON.parse(JSON.stringify(aiModelServerSchema));
schema.allOf[1].properties.kind = { enum: ['AiModelServerAPI'] };
const validate = entityKindSchemaValidator(schema);

const aiModelServerKind = {
  getProcessorName: () => 'AiModelServerApiKindProcessor',
  async validateEntityKind(entity) {
    return validate(entity) !== false;
  },
  async postProcessEntity(entity, _location, emit) {
    if (entity.kind === 'AiModelServerAPI' && entity.spec && entity.spec.owner) {
      const self = getCompoundEntityRef(entity);
      const owner = parseEntityRef(entity.spec.owner, {
        defaultKind: 'Group',
        defaultNamespace: self.namespace,
      });
      emit(processingResult.relation({ source: self, type: RELATION_OWNED_BY, target: owner }));
      emit(processingResult.relation({ source: owner, type: RELATION_OWNER_OF, target: self }));
    }
    return entity;
  },
};

const aiModelServerModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ai-model-server-kind',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(aiModelServerKind);
      },
    });
  },
});

const backend = createBackend();
backend.add(require('@backstage/plugin-catalog-backend'));
backend.add(require('@backstage/plugin-catalog-backend-module-unprocessed'));
backend.add(aiModelServerModule);
backend.start().catch(error => {
  console.error(error);
  process.exit(1);
});

// The Kubernetes manifests in deploy/k8s: each object validated against the Kubernetes API's
// OpenAPI schemas (kubernetes-models, offline), then what the deployment relies on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { filesUnder, HOSTED_URL, read, yamlDocuments } from './helpers.mjs';

const MANIFESTS = filesUnder('deploy/k8s').filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('kustomization.yaml'));
const objects = MANIFESTS.flatMap((file) => yamlDocuments(file).map((object) => ({ file, object })));
const byKind = (kind) => {
    const found = objects.filter(({ object }) => object.kind === kind);
    assert.equal(found.length, 1, `one ${kind} in deploy/k8s`);
    return found[0].object;
};

// kubernetes-models' class for an apiVersion and kind, e.g. kubernetes-models/apps/v1/Deployment.
async function modelFor(apiVersion, kind) {
    const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return module[kind];
}

const matches = (selector, labels) => Object.entries(selector).every(([key, value]) => labels?.[key] === value);

describe('Kubernetes manifests are valid objects', () => {
    for (const { file, object } of objects) {
        it(`${file}: ${object.kind} ${object.metadata?.name}`, async () => {
            const Model = await modelFor(object.apiVersion, object.kind);
            assert.doesNotThrow(() => new Model(object).validate(), `${file} does not match the ${object.kind} schema`);
            assert.equal(object.metadata.name, 'retrodiffusion-mcp');
        });
    }

    it('the validator rejects a wrong manifest (so the checks above can fail)', async () => {
        const deployment = structuredClone(byKind('Deployment'));
        deployment.spec.replicas = 'three';
        delete deployment.spec.template.spec.containers[0].readinessProbe.httpGet.port;
        const Model = await modelFor(deployment.apiVersion, deployment.kind);
        assert.throws(() => new Model(deployment).validate(), /replicas|port/);
    });

    it('kustomization.yaml lists every manifest but the example Secret', () => {
        const [kustomization] = yamlDocuments('deploy/k8s/kustomization.yaml');
        const listed = [...kustomization.resources].sort();
        const expected = MANIFESTS.map((f) => f.replace('deploy/k8s/', '')).filter((f) => f !== 'secret.example.yaml').sort();
        assert.deepEqual(listed, expected);
    });
});

describe('Deployment', () => {
    const deployment = byKind('Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;

    it('runs 3 replicas of the image whose selector matches its pods', () => {
        assert.equal(deployment.apiVersion, 'apps/v1');
        assert.equal(deployment.spec.replicas, 3);
        assert.ok(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
        assert.equal(pod.containers.length, 1);
        assert.match(container.image, /^retrodiffusion-mcp(:|$)/);
        assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
    });

    it('listens on 8000 over HTTP, stateless, with the job secret from a Secret', () => {
        assert.deepEqual(container.ports, [{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
        const env = Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.valueFrom]));
        assert.equal(env.RD_MCP_TRANSPORT, 'http');
        assert.equal(env.RD_MCP_HOST, '0.0.0.0');
        assert.equal(env.RD_MCP_PORT, '8000');
        assert.equal(env.RD_MCP_STATELESS, 'true');
        assert.deepEqual(env.RD_MCP_JOB_SECRET, { secretKeyRef: { name: 'retrodiffusion-mcp', key: 'job-secret' } });
        const secret = byKind('Secret');
        assert.ok('job-secret' in (secret.stringData ?? secret.data), 'the example Secret has the key');
        assert.ok(!container.env.some((e) => e.name === 'RD_API_KEY'), 'callers bring their own key');
    });

    it('has readiness on /readyz and liveness on /healthz', () => {
        assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
        assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
    });

    it('requests and limits CPU and memory', () => {
        for (const kind of ['requests', 'limits']) {
            assert.ok(container.resources[kind].cpu, `${kind}.cpu`);
            assert.ok(container.resources[kind].memory, `${kind}.memory`);
        }
    });

    it('runs non-root, read-only, without privilege escalation or capabilities', () => {
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.ok(pod.securityContext.runAsUser > 0);
        assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
        const security = container.securityContext;
        assert.equal(security.runAsNonRoot, true);
        assert.equal(security.readOnlyRootFilesystem, true);
        assert.equal(security.allowPrivilegeEscalation, false);
        assert.deepEqual(security.capabilities.drop, ['ALL']);
        assert.equal(security.capabilities.add, undefined);
        assert.equal(pod.automountServiceAccountToken, false);
    });

    it('mounts an in-memory emptyDir on /tmp, the only writable place', () => {
        assert.deepEqual(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
        const volume = pod.volumes.find((v) => v.name === 'tmp');
        assert.equal(volume.emptyDir.medium, 'Memory');
        assert.ok(volume.emptyDir.sizeLimit);
    });

    it('gives calls in flight time to finish: grace period beyond the server shutdown grace', () => {
        const preStop = Number(container.lifecycle.preStop.exec.command.at(-1));
        assert.ok(pod.terminationGracePeriodSeconds >= preStop + 20,
                  'preStop pause + 20 s server grace must fit in terminationGracePeriodSeconds');
    });
});

describe('Service, HorizontalPodAutoscaler, PodDisruptionBudget, Ingress', () => {
    const deployment = byKind('Deployment');
    const podLabels = deployment.spec.template.metadata.labels;
    const service = byKind('Service');

    it('the Service selects the pods and targets their http port, with no session affinity', () => {
        assert.ok(matches(service.spec.selector, podLabels));
        const [port] = service.spec.ports;
        assert.equal(port.targetPort, 'http');
        assert.ok(deployment.spec.template.spec.containers[0].ports.some((p) => p.name === port.targetPort));
        assert.ok(!service.spec.sessionAffinity || service.spec.sessionAffinity === 'None');
    });

    it('the HorizontalPodAutoscaler (autoscaling/v2) scales the Deployment from its replica count', () => {
        const hpa = byKind('HorizontalPodAutoscaler');
        assert.equal(hpa.apiVersion, 'autoscaling/v2');
        assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
        assert.equal(hpa.spec.minReplicas, deployment.spec.replicas);
        assert.ok(hpa.spec.maxReplicas > hpa.spec.minReplicas);
        assert.ok(hpa.spec.metrics.some((m) => m.resource?.name === 'cpu'));
    });

    it('the PodDisruptionBudget selects the pods and leaves some to evict', () => {
        const pdb = byKind('PodDisruptionBudget');
        assert.equal(pdb.apiVersion, 'policy/v1');
        assert.ok(matches(pdb.spec.selector.matchLabels, podLabels));
        assert.ok(pdb.spec.minAvailable < deployment.spec.replicas);
    });

    it('the Ingress routes the MCP path to the Service port, with streaming-friendly nginx settings', () => {
        const ingress = byKind('Ingress');
        const annotations = ingress.metadata.annotations;
        assert.equal(annotations['nginx.ingress.kubernetes.io/proxy-buffering'], 'off');
        assert.equal(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering'], 'off');
        assert.ok(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
        assert.ok(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 3600);
        assert.equal(ingress.spec.ingressClassName, 'nginx');
        const hosted = new URL(HOSTED_URL);
        const [rule] = ingress.spec.rules;
        assert.equal(rule.host, hosted.hostname);
        assert.ok(ingress.spec.tls.some((t) => t.hosts.includes(hosted.hostname)));
        const [route] = rule.http.paths;
        assert.equal(route.path, hosted.pathname);
        assert.equal(route.backend.service.name, service.metadata.name);
        assert.ok(service.spec.ports.some((p) => p.name === route.backend.service.port.name));
    });

    it('the example Secret is a placeholder, not a secret', () => {
        assert.match(read('deploy/k8s/secret.example.yaml'), /openssl rand/);
    });
});

package dev.runbook.dsl.fluent;

/** The seed 000 runbooks as the seed writes them (copied so that tests never read the seed itself). */
final class SeedYamlText {
    private SeedYamlText() {
    }

    /** Seed 000, copied verbatim. */
    static final String FULL_SCHEMA = """
            # File: runbooks/oomkilled-increase-memory.yaml
            runbook:
              id: oomkilled-increase-memory-v1
              name: "Auto-remediate OOMKilled by increasing memory"
              version: 1.0
              author: sre-team

              # Trigger conditions
              trigger:
                root_cause_reason: "OOMKilled"
                symptom_reason: ["CrashLoopBackOff", "BackOff", "Error"]
                min_confidence: 0.80  # Only run if RCA confidence > 80%
                affected_resource_kinds: ["Pod"]

              # Safety guardrails
              safety:
                require_approval: false  # Set true for risky actions
                max_executions_per_hour: 5  # Rate limit
                blast_radius_limit: 10  # Max resources to affect
                dry_run_first: true  # Test before real execution

              # Remediation steps
              steps:
                - name: "Get current memory limit"
                  action: kubectl_get
                  params:
                    resource: "pod"
                    name: "{{ incident.resource.name }}"
                    namespace: "{{ incident.resource.namespace }}"
                    field: "spec.containers[0].resources.limits.memory"
                  output_var: current_memory

                - name: "Calculate new memory limit"
                  action: calculate
                  params:
                    expression: "{{ current_memory | parse_memory | multiply(2) }}"
                  output_var: new_memory

                - name: "Update Deployment memory limit"
                  action: kubectl_patch
                  params:
                    resource: "deployment"
                    name: "{{ incident.resource.controller }}"
                    namespace: "{{ incident.resource.namespace }}"
                    patch: |
                      spec:
                        template:
                          spec:
                            containers:
                            - name: "{{ incident.resource.container_name }}"
                              resources:
                                limits:
                                  memory: "{{ new_memory }}"

                - name: "Wait for pod to restart"
                  action: wait
                  params:
                    condition: "pod/{{ incident.resource.name }} ready"
                    timeout: 300  # 5 minutes

                - name: "Verify incident resolved"
                  action: check_neo4j
                  params:
                    query: |
                      MATCH (e:Episodic {eid: $incident_id})
                      MATCH (new_incident:Episodic)-[:ABOUT]->(r:Resource {rid: $resource_rid})
                      WHERE new_incident.event_time > $incident_time + duration({minutes: 5})
                        AND new_incident.reason IN ['OOMKilled', 'CrashLoopBackOff']
                      RETURN count(new_incident) AS new_failures
                    expect: "new_failures == 0"

              # Notification
              notification:
                on_success:
                  slack:
                    channel: "#incidents"
                    message: |
                      ✅ Auto-remediated OOMKilled incident
                      Pod: {{ incident.resource.name }}
                      Action: Increased memory {{ current_memory }} → {{ new_memory }}
                      RCA Confidence: {{ incident.rca_confidence }}

                on_failure:
                  slack:
                    channel: "#incidents"
                    message: |
                      ❌ Runbook failed for OOMKilled incident
                      Pod: {{ incident.resource.name }}
                      Error: {{ error_message }}
                      Manual intervention required

              # Rollback (if remediation fails)
              rollback:
                - name: "Revert memory change"
                  action: kubectl_patch
                  params:
                    resource: "deployment"
                    name: "{{ incident.resource.controller }}"
                    patch: |
                      spec:
                        template:
                          spec:
                            containers:
                            - name: "{{ incident.resource.container_name }}"
                              resources:
                                limits:
                                  memory: "{{ current_memory }}"
            """;

    /** Seed 000, copied verbatim. */
    static final String SHORT_OOM = """
            runbook:
              id: oomkilled-increase-memory-v1
              trigger:
                root_cause_reason: "OOMKilled"
                min_confidence: 0.80

              steps:
                - name: "Increase memory limit"
                  action: kubectl_patch
                  params:
                    resource: "deployment"
                    patch: |
                      spec:
                        template:
                          spec:
                            containers:
                            - name: app
                              resources:
                                limits:
                                  memory: "{{ current_memory * 2 }}"
            """;

    /** Seed 000, copied verbatim. */
    static final String IMAGE_PULL = """
            runbook:
              id: imagepullbackoff-fix-auth-v1
              trigger:
                root_cause_reason: "ImagePullBackOff"
                min_confidence: 0.75

              safety:
                require_approval: true  # Risky: affects registry credentials

              steps:
                - name: "Check if secret exists"
                  action: kubectl_get
                  params:
                    resource: "secret"
                    name: "regcred"
                    namespace: "{{ incident.resource.namespace }}"

                - name: "Recreate secret"
                  action: kubectl_apply
                  params:
                    manifest: |
                      apiVersion: v1
                      kind: Secret
                      metadata:
                        name: regcred
                      type: kubernetes.io/dockerconfigjson
                      data:
                        .dockerconfigjson: "{{ base64(registry_config) }}"

                - name: "Restart pods"
                  action: kubectl_rollout_restart
                  params:
                    resource: "deployment/{{ incident.resource.controller }}"
            """;

    /** Seed 000, copied verbatim. */
    static final String NODE_NOT_READY = """
            runbook:
              id: nodenotready-cordon-drain-v1
              trigger:
                root_cause_reason: "NodeNotReady"
                min_confidence: 0.85
                affected_resource_kinds: ["Node"]

              safety:
                require_approval: true  # High blast radius
                dry_run_first: true

              steps:
                - name: "Cordon node"
                  action: kubectl_cordon
                  params:
                    node: "{{ incident.resource.name }}"

                - name: "Drain pods"
                  action: kubectl_drain
                  params:
                    node: "{{ incident.resource.name }}"
                    ignore_daemonsets: true
                    delete_emptydir_data: true

                - name: "Trigger node replacement (cloud provider)"
                  action: webhook
                  params:
                    url: "https://cloud-api.example.com/replace-node"
                    method: "POST"
                    body: |
                      {
                        "node_name": "{{ incident.resource.name }}",
                        "cluster": "{{ incident.cluster }}"
                      }
            """;
}

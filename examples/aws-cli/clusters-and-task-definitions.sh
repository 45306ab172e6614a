#!/usr/bin/env bash
# The AWS CLI against ecs-emu: a cluster, task definitions registered from JSON files, and listings.
#
#   ./ecs-emu start &                                   # in another terminal
#   examples/aws-cli/clusters-and-task-definitions.sh   # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"

# Any credentials do; a 12-digit access key id would select that account.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
ecs() { aws --endpoint-url "$endpoint" ecs "$@"; }

echo "== create-cluster"
ecs create-cluster --cluster-name demo --settings name=containerInsights,value=enabled \
    --query 'cluster.[clusterName,status]' --output text

echo "== register-task-definition (twice: revisions 1 and 2)"
ecs register-task-definition --cli-input-json "file://$here/web-task-definition.json" \
    --query 'taskDefinition.taskDefinitionArn' --output text
ecs register-task-definition --cli-input-json "file://$here/web-task-definition.json" \
    --query 'taskDefinition.taskDefinitionArn' --output text
ecs register-task-definition --cli-input-json "file://$here/fargate-task-definition.json" \
    --query 'taskDefinition.[taskDefinitionArn,cpu,memory]' --output text

echo "== list-clusters"
ecs list-clusters --query 'clusterArns' --output text

echo "== list-task-definitions"
ecs list-task-definitions --query 'taskDefinitionArns' --output text

echo "== list-task-definition-families"
ecs list-task-definition-families --query 'families' --output text

echo "== describe-task-definition web (latest revision, with tags)"
ecs describe-task-definition --task-definition web --include TAGS \
    --query '[taskDefinition.revision, tags[0].value]' --output text

echo "== deregister web:1, then list ACTIVE web revisions"
ecs deregister-task-definition --task-definition web:1 --query 'taskDefinition.status' --output text
ecs list-task-definitions --family-prefix web --query 'taskDefinitionArns' --output text

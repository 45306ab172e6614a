#!/usr/bin/env bash
# The AWS CLI and the docker CLI against ecs-emu's ECR: create a repository, log Docker in with
# get-login-password, build and push an image, then run it as an ECS task and reach it over HTTP.
#
#   ./ecs-emu start --instances 1 &            # in another terminal (engine docker)
#   examples/aws-cli/ecr-push-and-run.sh       # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
#
# ECS_EMU_EXAMPLE_IMAGE is the base image to build from (default busybox:latest), one you have locally.
# DOCKER_CONFIG is left as you have it unless set: docker login stores the emulator's password there.
set -euo pipefail
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"
base="${ECS_EMU_EXAMPLE_IMAGE:-busybox:latest}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
aws_() { aws --endpoint-url "$endpoint" "$@"; }

echo "== create-repository"
uri="$(aws_ ecr create-repository --repository-name demo/web --query 'repository.repositoryUri' --output text)"
echo "$uri"
registry="${uri%%/*}"

echo "== get-login-password | docker login $registry"
aws_ ecr get-login-password | docker login --username AWS --password-stdin "$registry"

echo "== docker build and push ($base plus two layers)"
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/www"
echo "hello from an image pushed to ecs-emu" > "$ctx/www/index.html"
cat > "$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY www /www
COPY www/index.html /www/version.html
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
DOCKERFILE
docker build -q -t "$uri:v1" "$ctx" >/dev/null
docker push "$uri:v1" | tail -1
aws_ ecr describe-images --repository-name demo/web --query 'imageDetails[0].[imageTags[0],imageManifestMediaType]' --output text

echo "== a task definition naming the pushed image, run as a task"
cluster=ecr-demo
aws_ ecs create-cluster --cluster-name "$cluster" --query 'cluster.status' --output text
aws_ ecs register-container-instance --cluster "$cluster" \
    --instance-identity-document '{"instanceId":"i-0ecrdemo","instanceType":"m5.large","availabilityZone":"us-east-1a"}' \
    --query 'containerInstance.status' --output text
aws_ ecs register-task-definition --family ecr-web --container-definitions \
    "[{\"name\":\"web\",\"image\":\"$uri:v1\",\"memory\":64,\"portMappings\":[{\"containerPort\":8080,\"hostPort\":0}]}]" \
    --query 'taskDefinition.containerDefinitions[0].image' --output text
task="$(aws_ ecs run-task --cluster "$cluster" --task-definition ecr-web --query 'tasks[0].taskArn' --output text)"
aws_ ecs wait tasks-running --cluster "$cluster" --tasks "$task"
read -r ip port < <(aws_ ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].containers[0].networkBindings[0].[bindIP,hostPort]' --output text)
[ "$ip" = "0.0.0.0" ] && ip=127.0.0.1
for _ in $(seq 1 50); do
  if body="$(curl -fsS "http://$ip:$port/")"; then break; fi
  sleep 0.1
done
echo "$body"
aws_ ecs stop-task --cluster "$cluster" --task "$task" --query 'task.desiredStatus' --output text >/dev/null
aws_ ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"
echo "== done"

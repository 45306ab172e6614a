#!/usr/bin/env bash
# The AWS CLI against ecs-emu: run a Fargate task (launch type FARGATE, awsvpc networking, no container
# instances), read its network interface from describe-tasks, reach it at its own IP, stop it.
#
#   ./ecs-emu start &                          # in another terminal (engine docker)
#   examples/aws-cli/fargate-task.sh           # ECS_EMU_ENDPOINT defaults to http://127.0.0.1:5327
#
# On Docker Desktop (macOS, Windows) start with --awsvpc-ports loopback: the task's IP is not routed
# to the host there, and the script uses the loopback port shown in networkBindings instead.
# ECS_EMU_EXAMPLE_IMAGE replaces the image (default busybox:latest) with one you have locally.
set -euo pipefail
endpoint="${ECS_EMU_ENDPOINT:-http://127.0.0.1:5327}"
image="${ECS_EMU_EXAMPLE_IMAGE:-busybox:latest}"

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export AWS_PAGER=""
ecs() { aws --endpoint-url "$endpoint" ecs "$@"; }
cluster=fargate-demo

echo "== create-cluster"
ecs create-cluster --cluster-name "$cluster" --query 'cluster.status' --output text

echo "== register-task-definition (FARGATE, awsvpc, 256 CPU units / 512 MiB; image $image)"
ecs register-task-definition --family hello-fargate --requires-compatibilities FARGATE --network-mode awsvpc \
    --cpu 256 --memory 512 --container-definitions "[{\"name\": \"web\", \"image\": \"$image\", \"stopTimeout\": 2,
      \"command\": [\"sh\", \"-c\", \"mkdir -p /www && echo hello from fargate > /www/index.html && exec httpd -f -p 8080 -h /www\"],
      \"portMappings\": [{\"containerPort\": 8080}]}]" \
    --query 'taskDefinition.[taskDefinitionArn,compatibilities[-1]]' --output text

echo "== run-task --launch-type FARGATE, then wait tasks-running"
task="$(ecs run-task --cluster "$cluster" --task-definition hello-fargate --launch-type FARGATE \
    --network-configuration 'awsvpcConfiguration={subnets=[subnet-0123456789abcdef0],assignPublicIp=DISABLED}' \
    --query 'tasks[0].taskArn' --output text)"
echo "$task"
ecs wait tasks-running --cluster "$cluster" --tasks "$task"
ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].[lastStatus,launchType,platformVersion,attachments[0].type,attachments[0].status]' --output text

echo "== the task's network interface"
ecs describe-tasks --cluster "$cluster" --tasks "$task" --query 'tasks[0].attachments[0].details[].[name,value]' --output text
ip="$(ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value | [0]" --output text)"
port=8080
# With --awsvpc-ports loopback the port is also published on 127.0.0.1, as networkBindings shows.
read -r bind_ip bind_port < <(ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].containers[0].networkBindings[0].[bindIP,hostPort]' --output text)
if [ "$bind_ip" != "None" ]; then ip="$bind_ip"; port="$bind_port"; fi
echo "== the container answers on $ip:$port"
for _ in $(seq 1 50); do
  if body="$(curl -fsS "http://$ip:$port/")"; then break; fi
  sleep 0.1
done
echo "$body"

echo "== stop-task, then wait tasks-stopped"
ecs stop-task --cluster "$cluster" --task "$task" --query 'task.desiredStatus' --output text
ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"
ecs describe-tasks --cluster "$cluster" --tasks "$task" \
    --query 'tasks[0].[lastStatus,stopCode,attachments[0].status]' --output text

-- One AWS JSON 1.1 call, repeated on every connection: the operation and the body file come from the
-- environment (ECS_OPERATION, ECS_BODY_FILE). At the end, one JSON line with counts and latencies (us).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AmazonEC2ContainerServiceV20141113." .. os.getenv("ECS_OPERATION")
wrk.headers["Authorization"] = os.getenv("ECS_AUTHORIZATION")
local file = assert(io.open(os.getenv("ECS_BODY_FILE"), "rb"))
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,"nonSuccess":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,'
      .. '"timeouts":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end

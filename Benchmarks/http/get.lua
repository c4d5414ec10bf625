-- GET with the bearer token in $TOKEN (none when it is empty).
wrk.method = "GET"
local token = os.getenv("TOKEN") or ""
if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

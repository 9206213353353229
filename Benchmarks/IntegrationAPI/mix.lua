-- The request mix of `scripts/bench`: 70 % open-session updates (5-item carts, a coupon in 30 %),
-- 20 % closes, 10 % profile updates. Set by the driver: KEY, CODES (a Lua list), PROFILES, DELAY_MS, RUN.
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("id", math.random(1, 1000000))
end

function init(args)
  thread_id = id or math.random(1, 1000000)
  math.randomseed(thread_id)
end

local function cart(category)
  local items = {}
  for i = 1, 5 do
    items[#items + 1] = string.format(
      '{"name":"item %d","sku":"sku-%d-%d","quantity":%d,"price":%d.%02d,"category":"cat-%d"}',
      i, category, i, math.random(1, 3), math.random(5, 120), math.random(0, 99), category)
  end
  return "[" .. table.concat(items, ",") .. "]"
end

local headers = { ["Authorization"] = "ApiKey-v1 " .. KEY, ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  local roll = math.random()
  local category = math.random(0, 9)
  if roll < 0.7 then
    local coupon = ""
    if #CODES > 0 and math.random() < 0.3 then
      coupon = string.format(',"couponCodes":["%s"]', CODES[math.random(1, #CODES)])
    end
    local body = string.format('{"customerSession":{"profileId":"p-%d","cartItems":%s,"attributes":{"ShippingMethod":"truck"}%s}}',
      math.random(0, PROFILES - 1), cart(category), coupon)
    return wrk.format("PUT", string.format("/v2/customer_sessions/open-%s-%d-%d", RUN, thread_id, math.random(1, 5000)), headers, body)
  elseif roll < 0.9 then
    local body = string.format('{"customerSession":{"profileId":"p-%d","cartItems":%s,"state":"closed"}}',
      math.random(0, PROFILES - 1), cart(category))
    return wrk.format("PUT", string.format("/v2/customer_sessions/close-%s-%d-%d", RUN, thread_id, counter), headers, body)
  else
    local body = string.format('{"attributes":{"Name":"Customer %d"}}', counter)
    return wrk.format("PUT", string.format("/v2/customer_profiles/p-%d", math.random(0, PROFILES - 1)), headers, body)
  end
end

if DELAY_MS and DELAY_MS > 0 then
  function delay() return DELAY_MS end
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests":%d,"seconds":%.3f,"rps":%.1f,"errors":%d,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), errors,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end

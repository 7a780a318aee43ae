-- view.lua: helpers that templates call. Trusted code: it runs outside the
-- sandbox but exposes only pure functions. Called with the host table (C side).

local C = ...
local tonumber, tostring, type, floor = tonumber, tostring, type, math.floor
local sformat, smatch, sgsub, sbyte = string.format, string.match, string.gsub, string.byte
local concat = table.concat

local V = {}

-- "2023-05-16" -> "2023年5月16日"; anything else is returned unchanged.
function V.date_cn(iso)
  local y, m, d = smatch(iso or "", "^(%d%d%d%d)-(%d%d)-(%d%d)")
  if not y then return iso end
  return sformat("%d年%d月%d日", tonumber(y), tonumber(m), tonumber(d))
end

local procedures = { general = "普通程序", simple = "简易程序" }

-- Procedure code -> its Chinese name.
function V.procedure_name(code)
  return procedures[code] or code
end

-- Percent-encodes a query component (RFC 3986 unreserved characters stay).
function V.urlencode(s)
  return (sgsub(tostring(s), "[^%w%-%._~]", function(c)
    return sformat("%%%02X", sbyte(c))
  end))
end

-- Builds "path?k=v&..." from an ordered list of {key, value} pairs, skipping
-- empty values. The result still needs HTML escaping when printed.
function V.url(path, pairs_list)
  local q = {}
  for _, kv in ipairs(pairs_list or {}) do
    local k, v = kv[1], kv[2]
    if v ~= nil and v ~= "" then q[#q + 1] = V.urlencode(k) .. "=" .. V.urlencode(v) end
  end
  if #q == 0 then return path end
  return path .. "?" .. concat(q, "&")
end

-- The page links of a pager: { {page=n, current=bool} or {gap=true} ... },
-- first, last and up to two pages either side of the current one.
function V.pager(page, pages)
  local items = {}
  if pages <= 1 then return items end
  local last_shown = 0
  for n = 1, pages do
    if n == 1 or n == pages or (n >= page - 2 and n <= page + 2) then
      if n > last_shown + 1 then items[#items + 1] = { gap = true } end
      items[#items + 1] = { page = n, current = (n == page) }
      last_shown = n
    end
  end
  return items
end

-- JSON text of a Lua value, for API and health responses.
V.json = C.json_encode

return V

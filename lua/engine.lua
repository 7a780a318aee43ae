-- engine.lua: the template engine. Compiles templates to Lua once per worker and
-- renders them in a sandbox that escapes every printed value by default.
--
-- Syntax:  <%= expr %>  prints expr, HTML-escaped
--          <%- expr %>  prints expr as is: only for fragments the builder made safe
--          <% code %>   runs a Lua statement (if, for, local ...)
--          <%# note %>  a comment; -%> at the end of a tag eats the next newline
-- In a template, `ctx` is the data of the page, `site` the site description;
-- include(name, args) renders a partial in place; layout(name) wraps the page.

local C = ...			-- the C side: esc, raw, limits
local load, error, setmetatable, pairs, type = load, error, setmetatable, pairs, type
local sfind, ssub, sformat, sgsub = string.find, string.sub, string.format, string.gsub
local concat = table.concat

local M = {}
local compiled = {}		-- name -> render function(ctx, buffer)
local layout_of			-- set by layout() during a render

-- Turns template source into Lua source. Returns the source or nil, message.
local function translate(src, name)
  local out, pos, line = { "local _e, _r = e, raw\nreturn function(ctx, _b)\n" }, 1, 1
  local function text(s)
    if s ~= "" then out[#out + 1] = sformat("_b[#_b+1]=%q\n", s) end
  end
  while true do
    local s, e = sfind(src, "<%", pos, true)
    if not s then text(ssub(src, pos)) break end
    text(ssub(src, pos, s - 1))
    local close = sfind(src, "%>", e + 1, true)
    if not close then
      local _, nl = sgsub(ssub(src, 1, s), "\n", "")
      return nil, sformat("%s:%d: unclosed <%%", name, nl + 1)
    end
    local kind, body = ssub(src, e + 1, e + 1), ssub(src, e + 2, close - 1)
    local trim = ssub(body, -1) == "-" and kind ~= "-"
    if trim then body = ssub(body, 1, -2) end
    if kind == "=" then
      out[#out + 1] = "_b[#_b+1]=_e(" .. body .. ")\n"
    elseif kind == "-" then
      if ssub(body, -1) == "-" then body = ssub(body, 1, -2) trim = true end
      out[#out + 1] = "_b[#_b+1]=_r(" .. body .. ")\n"
    elseif kind ~= "#" then
      out[#out + 1] = kind .. body .. "\n"
    end
    pos = close + 2
    if trim and ssub(src, pos, pos) == "\n" then pos = pos + 1 end
  end
  out[#out + 1] = "end\n"
  return concat(out)
end

-- Compiles one template in the sandbox environment env.
local function compile(name, src, env)
  local lua, err = translate(src, name)
  if not lua then return nil, err end
  local chunk, err2 = load(lua, "=" .. name, "t", env)
  if not chunk then return nil, err2 end
  return chunk()
end

-- Builds the read-only environment templates see. Nothing in it reaches files,
-- processes, the network, the loader or the debug library.
local function sandbox(helpers, site)
  local safe_string = C.safe_string
  local base = {
    e = C.esc, raw = C.raw, site = site,
    ipairs = ipairs, pairs = pairs, next = next, type = type, select = select,
    tostring = tostring, tonumber = tonumber, error = error, assert = assert,
    string = safe_string,
    table = { concat = concat, insert = table.insert, unpack = table.unpack },
    math = { floor = math.floor, ceil = math.ceil, max = math.max, min = math.min,
             abs = math.abs, tointeger = math.tointeger, huge = math.huge },
    utf8 = { char = utf8.char, len = utf8.len, codepoint = utf8.codepoint,
             offset = utf8.offset, codes = utf8.codes, charpattern = utf8.charpattern },
  }
  for k, v in pairs(helpers) do base[k] = v end
  local current_buf
  base.include = function(name, args)
    local f = compiled[name]
    if not f then error("no template named " .. tostring(name), 2) end
    f(args, current_buf)
  end
  base.layout = function(name) layout_of = name end
  local env = setmetatable({}, {
    __index = base,
    __newindex = function(_, k) error("templates cannot set global " .. tostring(k), 2) end,
    __metatable = false,
  })
  return env, function(b) current_buf = b end
end

local set_buf

-- Compiles every template in sources (name -> text). Returns true, or nil and
-- every error message joined by newlines.
function M.init(sources, helpers, site)
  local env
  env, set_buf = sandbox(helpers, site)
  local errs = {}
  for name, src in pairs(sources) do
    local f, err = compile(name, src, env)
    if f then compiled[name] = f else errs[#errs + 1] = err end
  end
  if #errs > 0 then return nil, concat(errs, "\n") end
  return true
end

-- Renders template name with ctx; returns the text. Errors propagate to C.
function M.render(name, ctx)
  local f = compiled[name]
  if not f then error("no template named " .. tostring(name)) end
  layout_of = nil
  local b = {}
  set_buf(b)
  f(ctx, b)
  local body = concat(b)
  while layout_of do
    local outer = compiled[layout_of]
    if not outer then error("no layout named " .. tostring(layout_of)) end
    layout_of = nil
    ctx.content = body
    b = {}
    set_buf(b)
    outer(ctx, b)
    body = concat(b)
  end
  return body
end

M.translate = translate
return M

-- engine.lua: the template engine. Compiles templates to Lua once per worker and
-- renders them in a sandbox that escapes every printed value by default.
--
-- Syntax:  <%= expr %>  prints expr, HTML-escaped
--          <%- expr %>  prints expr as is: only for fragments the builder made safe
--          <% code %>   runs a Lua statement (if, for, local ...)
--          <%# note %>  a comment; -%> at the end of a tag eats the next newline
-- In a template, `ctx` is the data of the page, `site` the site description;
-- include(name, args) renders a partial in place; layout(name) wraps the page
-- in another template, which prints it where it calls content();
-- fixed(name, key, args) prints a partial whose output depends on nothing but
-- site and key (a string, or nil): rendered with args the first time a key is
-- seen, printed again from then on.
--
-- Output goes straight into the worker's C buffer (see translate), so a render
-- builds no Lua strings for its output.

local C = ...			-- the C side: write, wrap, content, mark, since, max_fixed,
				-- safe_string, json_encode
local load, error, setmetatable, pairs, next, type, tostring =
  load, error, setmetatable, pairs, next, type, tostring
local sfind, ssub, sformat, sgsub = string.find, string.sub, string.format, string.gsub
local concat = table.concat

local M = {}
local MAX_ARGS = 100		-- arguments of one _w call (Lua allows about 250)
local compiled = {}		-- name -> function(ctx)
local kept, nkept = {}, {}	-- fixed(): name -> { key -> its output }, name -> count
local layout_of			-- set by layout() during a render

-- Turns template source into Lua source. Returns the source or nil, message.
-- Output between two code tags becomes one call, _w(raw, esc, raw, esc, ...):
-- its odd arguments are printed as they are, its even ones escaped.
-- names: the sandbox's globals, bound to locals once so the page code reads
-- upvalues instead of going through the environment's metatable.
-- They are <const>: a template that assigns one does not compile.
local function translate(src, name, names)
  local header = ""
  if names and #names > 0 then
    header = "local " .. concat(names, " <const>, ") .. " <const> = " ..
      concat(names, ", ") .. " "
  end
  -- No newline is added anywhere, so line N of the Lua is line N of the
  -- template and errors point at the template's own lines.
  local out, run, pos = { header .. "return function(ctx) " }, {}, 1
  local function flush()
    if #run > 0 then out[#out + 1] = "_w(" .. concat(run, ", ") .. ") " run = {} end
  end
  local function emit(lua, escaped)
    if #run >= MAX_ARGS then flush() end	-- a call has a bounded number of registers
    if (#run % 2 == 1) ~= escaped then run[#run + 1] = '""' end
    run[#run + 1] = lua
  end
  while true do
    local s, e = sfind(src, "<%", pos, true)
    local text = ssub(src, pos, (s or 0) - 1)
    if text ~= "" then emit(sformat("%q", text), false) end
    if not s then break end
    local close = sfind(src, "%>", e + 1, true)
    if not close then
      local _, nl = sgsub(ssub(src, 1, s), "\n", "")
      return nil, sformat("%s:%d: unclosed <%%", name, nl + 1)
    end
    local kind, body = ssub(src, e + 1, e + 1), ssub(src, e + 2, close - 1)
    local trim = ssub(body, -1) == "-"
    if trim then body = ssub(body, 1, -2) end
    if kind == "=" then
      emit("(" .. body .. ")", true)
    elseif kind == "-" then
      emit("(" .. body .. ")", false)
    elseif kind ~= "#" then
      flush()
      -- a line comment would swallow what follows on the same line
      out[#out + 1] = kind .. body .. (sfind(body, "--", 1, true) and "\n" or " ")
    end
    pos = close + 2
    if trim and ssub(src, pos, pos) == "\n" then pos = pos + 1 end
  end
  flush()
  out[#out + 1] = " end"
  return concat(out)
end

-- A read-only view of t (and of the tables inside it): reads, #, pairs and
-- ipairs work; writes raise an error. Templates share these across requests.
-- __index is a private copy, a table rather than a function, so reads stay
-- one table lookup.
local function readonly(t)
  local copy = {}
  for k, v in pairs(t) do
    if type(v) == "table" then v = readonly(v) end
    copy[k] = v
  end
  return setmetatable({}, {
    __index = copy,
    __newindex = function(_, k) error("templates cannot change " .. tostring(k), 2) end,
    __len = function() return #copy end,
    -- An iterator of its own: `next, copy` would hand templates the table
    -- behind the proxy, and with it a way to change it for later requests.
    __pairs = function()
      local k
      return function()
        local v
        k, v = next(copy, k)
        return k, v
      end
    end,
    __metatable = false,
  })
end

-- Builds the read-only environment templates see. Nothing in it reaches files,
-- processes, the network, the loader or the debug library.
local function sandbox(helpers, site)
  local base = {
    _w = C.write, content = C.content, site = readonly(site),
    ipairs = ipairs, pairs = pairs, next = next, type = type, select = select,
    tostring = tostring, tonumber = tonumber, error = error, assert = assert,
    string = readonly(C.safe_string),
    table = readonly({ concat = concat, insert = table.insert, unpack = table.unpack }),
    math = readonly({ floor = math.floor, ceil = math.ceil, max = math.max, min = math.min,
             abs = math.abs, tointeger = math.tointeger, huge = math.huge }),
    utf8 = readonly({ char = utf8.char, len = utf8.len, codepoint = utf8.codepoint,
             offset = utf8.offset, codes = utf8.codes, charpattern = utf8.charpattern }),
  }
  for k, v in pairs(helpers) do base[k] = v end
  base.include = function(name, args)
    local f = compiled[name]
    if not f then error("no template named " .. tostring(name), 2) end
    f(args)
  end
  base.layout = function(name) layout_of = name end
  -- The site is the same for the state's whole life, so such a partial's
  -- output is too: the navigation and the footer are printed, not rendered,
  -- on every page after the first. At most C.max_fixed keys per partial are
  -- kept; past them it is rendered each time, so a key made from a request
  -- costs time, never memory or correctness.
  local write, mark, since, max_fixed = C.write, C.mark, C.since, C.max_fixed
  base.fixed = function(name, key, args)
    if key == nil then key = "" end
    if type(key) ~= "string" then error("fixed: the key must be a string", 2) end
    local out = kept[name]
    local s = out and out[key]
    if s then write(s) return end
    local f = compiled[name]
    if not f then error("no template named " .. tostring(name), 2) end
    local at = mark()
    f(args)
    if not out then out = {} kept[name] = out nkept[name] = 0 end
    if nkept[name] < max_fixed then
      out[key] = since(at)
      nkept[name] = nkept[name] + 1
    end
  end
  -- The address of a static file: fingerprinted when the snapshot knows it.
  local assets = site.assets or {}
  base.asset = function(name) return assets[name] or ("/static/" .. tostring(name)) end
  local names = {}
  for k in pairs(base) do names[#names + 1] = k end
  table.sort(names)
  return setmetatable({}, {
    __index = base,
    __newindex = function(_, k) error("templates cannot set global " .. tostring(k), 2) end,
    __metatable = false,
  }), names
end

-- Compiles every template in sources (name -> text). Returns true, or nil and
-- every error message joined by newlines.
function M.init(sources, helpers, site)
  local env, names, errs = sandbox(helpers, site)
  errs = {}
  for name, src in pairs(sources) do
    local lua, err = translate(src, name, names)
    local chunk = lua and load(lua, "=" .. name, "t", env)
    if not lua then
      errs[#errs + 1] = err
    elseif not chunk then
      local _, err2 = load(lua, "=" .. name, "t", env)
      errs[#errs + 1] = err2
    else
      compiled[name] = chunk()
    end
  end
  if #errs > 0 then return nil, concat(errs, "\n") end
  return true
end

-- Renders template name with ctx into the C buffer; a page that called
-- layout() is then wrapped by its layout, which calls content() to print it.
-- Errors propagate to C.
function M.render(name, ctx)
  local f = compiled[name]
  if not f then error("no template named " .. tostring(name)) end
  layout_of = nil
  f(ctx)
  while layout_of do
    local outer = compiled[layout_of]
    if not outer then error("no layout named " .. tostring(layout_of)) end
    layout_of = nil
    C.wrap()
    outer(ctx)
  end
end

M.translate = translate
return M

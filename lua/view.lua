-- view.lua: helpers that templates call. Trusted code: it runs outside the
-- sandbox but exposes only pure functions. Called with the host table (C side).

local C = ...
local tonumber, tostring, type, floor = tonumber, tostring, type, math.floor
local ipairs, max, min = ipairs, math.max, math.min
local sformat, smatch, sgsub, sbyte, ssub, sfind = string.format, string.match,
  string.gsub, string.byte, string.sub, string.find
local concat, sort = table.concat, table.sort
local ulen = utf8.len

local V = {}

-- Dates written in words, kept: a page shows a few, and the same ones come
-- back page after page. At most DATES_KEPT: a date from a request (the
-- calculator's form) must not grow the state without end.
local DATES_KEPT = 4096
local dates, ndates = {}, 0

-- "2023-05-16" -> "2023年5月16日"; anything else is returned unchanged.
function V.date_cn(iso)
  local s = dates[iso or ""]
  if s then return s end
  local y, m, d = smatch(iso or "", "^(%d%d%d%d)-(%d%d)-(%d%d)")
  if not y then return iso end
  s = sformat("%d年%d月%d日", tonumber(y), tonumber(m), tonumber(d))
  if ndates < DATES_KEPT then dates[iso] = s ndates = ndates + 1 end
  return s
end

local procedures = { general = "普通程序", simple = "简易程序" }

-- Procedure code -> its Chinese name.
function V.procedure_name(code)
  return procedures[code] or code
end

-- Percent-encodes a query component (RFC 3986 unreserved characters stay).
local function pct(c) return sformat("%%%02X", sbyte(c)) end

function V.urlencode(s)
  s = tostring(s)
  if not sfind(s, "[^%w%-%._~]") then return s end	-- the usual case: a code
  return (sgsub(s, "[^%w%-%._~]", pct))
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

local error_titles = { [400] = "请求有误", [404] = "页面不存在", [405] = "不支持的请求方式",
  [413] = "内容过大", [414] = "网址过长", [429] = "请求过于频繁", [500] = "服务器出错" }

-- The title of the error page for HTTP status.
function V.error_title(status)
  return error_titles[status] or "出错了"
end

-- A phone number as content writes it ("0580-0000000（示例）", "12345"),
-- split for a tel: link: { number = "0580-0000000", href =
-- "tel:0580-0000000", note = "（示例）" }. nil when s does not begin with a
-- number of at least three digits (then it is printed as text).
function V.phone(s)
  local num, note = smatch(s or "", "^(%+?%d[%d%- ]*%d)(.*)$")
  if not num or #sgsub(num, "%D", "") < 3 then return nil end
  return { number = num, href = "tel:" .. sgsub(num, " ", ""), note = note }
end

------------------------------------------------------------------------------
-- Items: kinds, addresses, names
------------------------------------------------------------------------------

local kinds = { article = "文章", qa = "问答", brochure = "宣传册", campaign = "活动" }
local kind_order = { "article", "qa", "brochure", "campaign" }

-- Material kind code -> its Chinese name (article -> 文章).
function V.kind_name(code)
  return kinds[code] or code
end

-- The sections, from C's one table of them (route.c): the address of each
-- kind's items, its name in words, and each section's feed by its address.
local item_bases, item_kinds, section_feeds = {}, {}, {}
for _, s in ipairs(C.sections) do
  item_bases[s.kind], item_kinds[s.kind] = s.base, s.title
  if s.feed then section_feeds[s.base] = { href = s.feed, title = s.title } end
end

-- The page of an item: ("case", "2023-001") -> "/cases/2023-001".
function V.item_url(kind, id)
  return (item_bases[kind] or "/") .. tostring(id)
end

-- What an item is, in words: "case" -> 典型案例.
function V.item_kind_name(kind)
  return item_kinds[kind] or kind
end

-- The state of the main navigation link href on a page: "page" when it is
-- the page itself, "true" when the page lies in its section, else nil.
function V.nav_current(href, section, path)
  if href == path then return "page" end
  if href == section then return "true" end
  return nil
end

-- The parts of an item page in page order, for its table of contents:
-- { {key, title} }. order names the parts: a section key, "sections" for the
-- sections not named elsewhere in order, or one of event, steps, documents,
-- faq, basis, related (listed only when the item has them). titles
-- overrides the default titles of the latter.
local part_titles = { event = "活动信息", steps = "办理步骤", documents = "所需材料",
  faq = "常见问题", images = "图片", attachments = "附件", basis = "法律依据",
  related = "相关内容" }
local part_list = { steps = "steps", documents = "documents", faq = "faqs",
  images = "images", attachments = "attachments", basis = "basis", related = "related" }

local EMPTY = {}

-- NOTE: tables and calls cost here (every item page runs it): this makes one
-- list, reuses the section rows as its entries ({ key, title }), and keeps
-- its loops inline.
function V.outline(ctx, order, titles)
  -- sized up front: growing a table one entry at a time rehashes it
  local secs, out, n = ctx.sections or EMPTY, { nil, nil, nil, nil, nil, nil, nil, nil }, 0
  local nsecs, norder = #secs, #order
  for i = 1, norder do
    local k = order[i]
    if k == "sections" then		-- the sections order does not name
      for j = 1, nsecs do
        local s, named = secs[j], false
        local key = s.key
        for m = 1, norder do
          if order[m] == key then named = true break end
        end
        if not named then n = n + 1 out[n] = s end
      end
    else
      local s
      for j = 1, nsecs do
        if secs[j].key == k then s = secs[j] break end
      end
      if s then
        n = n + 1 out[n] = s
      elseif part_titles[k] then
        local list = part_list[k] and ctx[part_list[k]]
        if (k == "event" and ctx.event_start ~= nil) or (list and #list > 0) then
          n = n + 1 out[n] = { key = k, title = (titles and titles[k]) or part_titles[k] }
        end
      end
    end
  end
  return out
end

-- The section of ctx.sections with key, or nil.
function V.section(sections, key)
  for _, s in ipairs(sections or {}) do
    if s.key == key then return s end
  end
  return nil
end

------------------------------------------------------------------------------
-- Campaign dates
------------------------------------------------------------------------------

-- "2026-12-10T09:00:00" -> "2026-12-10", "09:00" (time nil for a bare date).
local function split_when(s)
  local d, t = smatch(s or "", "^(%d%d%d%d%-%d%d%-%d%d)T?(%d?%d?:?%d?%d?)")
  if t == "" then t = nil end
  return d, t
end

-- "09:00" -> "9:00"
local function time_cn(t)
  local h, m = smatch(t or "", "^(%d%d):(%d%d)")
  if not h then return t end
  return sformat("%d:%s", tonumber(h), m)
end

-- When a campaign takes place, for <time> elements: { from = {dt, text},
-- to = {dt, text} or nil, sep = "至" }. The second date leaves out what the
-- first already says: 2026年12月1日至12月7日, 2026年12月10日 9:00至11:30.
function V.campaign_when(start, stop)
  local d1, t1 = split_when(start)
  if not d1 then return { from = { dt = start, text = start } } end
  local from = { dt = start, text = V.date_cn(d1) .. (t1 and (" " .. time_cn(t1)) or "") }
  local d2, t2 = split_when(stop)
  if not d2 or (d2 == d1 and (not t2 or t2 == t1)) then
    return { from = from }
  end
  local text
  if d2 == d1 then
    text = time_cn(t2)
  else
    local y1, y2 = ssub(d1, 1, 4), ssub(d2, 1, 4)
    text = V.date_cn(d2)
    if y1 == y2 then text = sgsub(text, "^%d+年", "") end
    if t2 then text = text .. " " .. time_cn(t2) end
  end
  return { from = from, to = { dt = stop, text = text }, sep = "至" }
end

local states = { upcoming = "即将开展", ongoing = "正在进行", past = "已结束" }

-- A campaign's state on day today (YYYY-MM-DD): upcoming, ongoing or past.
function V.campaign_state(start, stop, today)
  local d1 = split_when(start)
  local d2 = split_when(stop) or d1
  if not d1 or not today then return "upcoming" end
  if today < d1 then return "upcoming" end
  if today > d2 then return "past" end
  return "ongoing"
end

-- A campaign state's name: ongoing -> 正在进行.
function V.campaign_state_name(state)
  return states[state] or state
end

------------------------------------------------------------------------------
-- List filters (facets) and paging
------------------------------------------------------------------------------

-- The query pairs of a list: filters in the order of keys, with key set to
-- value (nil removes it), then page when past the first.
local function query(keys, filters, key, value, page)
  local q = {}
  for _, k in ipairs(keys) do
    local v = filters[k]
    if k == key then v = value end
    if v ~= nil then q[#q + 1] = { k, v } end
  end
  if page and page > 1 then q[#q + 1] = { "page", page } end
  return q
end

-- The query keys of each list, in canonical order: a section's filters from
-- C (route.c), and the search's.
local list_keys = { ["/search"] = { "q", "section", "domain", "year", "town" } }
for _, sec in ipairs(C.sections) do
  if #sec.filters > 0 then list_keys[sec.base] = sec.filters end
end

-- The address of page n of list base under filters (page 1 has no ?page=).
function V.page_url(base, filters, n)
  return V.url(base, query(list_keys[base] or {}, filters or {}, nil, nil, n))
end

-- The address of list base with filters, key set to value (nil: removed),
-- back on the first page.
function V.filter_url(base, filters, key, value)
  return V.url(base, query(list_keys[base] or {}, filters or {}, key, value))
end

------------------------------------------------------------------------------
-- Web conventions: canonical address, feeds for autodiscovery
------------------------------------------------------------------------------

-- The canonical address of a page: the site's public address and the path;
-- a list adds its filters and page in a fixed order, so one list page has
-- one address however its query was written.
function V.canonical(ctx, site)
  local base = site.url or ""
  if ctx.filters and list_keys[ctx.path] then
    return base .. V.page_url(ctx.path, ctx.filters, ctx.page)
  end
  return base .. ctx.path
end

-- The Atom feeds a page names for autodiscovery, most specific first:
-- { {href, title} }. A case list filtered by domain, and a case, offer
-- their domain's feed; every page offers the feed of everything.
function V.feeds(ctx, site)
  local list, sec = {}, section_feeds[ctx.nav]
  local domain = ctx.domain_code or (ctx.filters and ctx.nav == "/cases/" and ctx.filters.domain)
  if domain and ctx.nav == "/cases/" then
    for _, d in ipairs(site.domains or EMPTY) do
      if d.code == domain then
        list[#list + 1] = { href = "/feeds/cases/" .. domain .. ".atom",
          title = site.name .. " · 典型案例 · " .. d.name }
      end
    end
  end
  if sec then list[#list + 1] = { href = sec.href, title = site.name .. " · " .. sec.title } end
  list[#list + 1] = { href = "/feeds/all.atom", title = site.name .. " · 最新发布" }
  return list
end

-- The keys under which fixed() keeps the navigation and the feed links: each
-- names all that the partial's output depends on besides the site. Built from
-- the site on first use (a Lua state serves one site).
local nav_hrefs, domain_keys

-- The navigation marks the page's section, and the page itself when it is
-- one of its links: the key is the section, or the section and the path.
function V.nav_key(ctx, site)
  if not nav_hrefs then
    nav_hrefs = {}
    for _, item in ipairs(site.nav or EMPTY) do nav_hrefs[item.href] = true end
  end
  local nav = ctx.nav or ""
  if nav_hrefs[ctx.path] then return nav .. " " .. ctx.path end
  return nav
end

-- The feed links (feeds) depend on the page's section and, in the case
-- section, on the domain of the case or of the list's filter when the site
-- has that domain.
function V.feeds_key(ctx, site)
  local nav = ctx.nav or ""
  if nav ~= "/cases/" then return nav end
  if not domain_keys then
    domain_keys = {}
    for _, d in ipairs(site.domains or EMPTY) do domain_keys[d.code] = nav .. " " .. d.code end
  end
  local domain = ctx.domain_code or (ctx.filters and ctx.filters.domain)
  return domain and domain_keys[domain] or nav
end

-- code -> name from a site code list ({code, name} rows), and code -> position.
local function index_of(list)
  local names, pos = {}, {}
  for i, r in ipairs(list or {}) do
    names[r.code] = r.name
    pos[r.code] = i
  end
  return names, pos
end

-- One facet group: { key, label, options = { {label, n, href, selected} } }.
-- spec: key, label, rows ({code, name?, n}), and optional names (code ->
-- name), pos (code -> sort position), name (function), desc (newest first).
local function facet_group(base, filters, spec)
  local chosen = filters[spec.key]
  local opts, total, found = {}, 0, false
  for _, r in ipairs(spec.rows or {}) do
    if r.code ~= nil then
      local code = tostring(r.code)
      local label = (spec.names and spec.names[code]) or r.name or code
      if spec.name then label = spec.name(code) end
      opts[#opts + 1] = { code = code, label = tostring(label), n = r.n or 0,
        pos = spec.pos and spec.pos[code] or 0 }
      total = total + (r.n or 0)
      if code == chosen then found = true end
    end
  end
  if chosen and not found then		-- nothing left under the other filters
    local label = (spec.names and spec.names[chosen]) or chosen
    if spec.name then label = spec.name(chosen) end
    opts[#opts + 1] = { code = chosen, label = label, n = 0,
      pos = spec.pos and spec.pos[chosen] or 1e9 }
  end
  sort(opts, function(a, b)
    if spec.desc then return a.code > b.code end
    if a.pos ~= b.pos then return a.pos < b.pos end
    return a.code < b.code
  end)
  for _, o in ipairs(opts) do
    o.selected = (o.code == chosen)
    o.href = V.filter_url(base, filters, spec.key, o.code)
  end
  table.insert(opts, 1, { label = "全部", n = total, selected = (chosen == nil),
    href = V.filter_url(base, filters, spec.key, nil), all = true })
  local value
  for _, o in ipairs(opts) do
    if o.selected and not o.all then value = o.label end
  end
  return { key = spec.key, label = spec.label, options = opts, value = value,
    remove = V.filter_url(base, filters, spec.key, nil) }
end

-- The facets of a list: { groups = {...}, active = {groups with a value} }.
local function facets(base, filters, specs)
  local groups, active = {}, {}
  for _, spec in ipairs(specs) do
    local g = facet_group(base, filters, spec)
    groups[#groups + 1] = g
    if g.value then active[#active + 1] = g end
  end
  return { groups = groups, active = active, base = base }
end

local procedure_pos = { general = 1, simple = 2 }

-- The facets of /cases/: domain, town, year (newest first) and procedure,
-- in the order of the site's code lists.
function V.case_facets(ctx, site)
  local dnames, dpos = index_of(site.domains)
  local tnames, tpos = index_of(site.towns)
  return facets("/cases/", ctx.filters or {}, {
    { key = "domain", label = "执法领域", rows = ctx.domains, names = dnames, pos = dpos },
    { key = "town", label = "镇街", rows = ctx.towns, names = tnames, pos = tpos },
    { key = "year", label = "年份", rows = ctx.years, desc = true,
      name = function(y) return y .. "年" end },
    { key = "procedure", label = "程序", rows = ctx.procedures, pos = procedure_pos,
      name = V.procedure_name },
  })
end

local kind_pos = {}
for i, k in ipairs(kind_order) do kind_pos[k] = i end

-- The facets of /pufa/: kind and topic.
function V.material_facets(ctx, site)
  local names, pos = index_of(site.topics)
  return facets("/pufa/", ctx.filters or {}, {
    { key = "kind", label = "类型", rows = ctx.kinds, pos = kind_pos, name = V.kind_name },
    { key = "topic", label = "主题", rows = ctx.topics, names = names, pos = pos },
  })
end

-- The search's filters ({q, section, domain, year}) and its facets: the
-- sections with their counts as links, and the domain and year chosen, each
-- with a link that removes it. A section's count "1000+" says there are more.
function V.search_facets(ctx, site)
  local filters = { q = ctx.q, section = ctx.section, domain = ctx.domain, year = ctx.year,
    town = ctx.town }
  local rows = {}
  for _, c in ipairs(ctx.counts or EMPTY) do
    rows[#rows + 1] = { code = c.section, name = c.title, n = c.n }
  end
  local f = facets("/search", filters, {
    { key = "section", label = "栏目", rows = rows },
  })
  local dnames = index_of(site.domains)
  if ctx.domain then
    f.active[#f.active + 1] = { label = "执法领域", value = dnames[ctx.domain] or ctx.domain,
      remove = V.filter_url("/search", filters, "domain", nil) }
  end
  if ctx.year then
    f.active[#f.active + 1] = { label = "年份", value = ctx.year .. "年",
      remove = V.filter_url("/search", filters, "year", nil) }
  end
  if ctx.town then
    f.active[#f.active + 1] = { label = "镇街", value = index_of(site.towns)[ctx.town] or ctx.town,
      remove = V.filter_url("/search", filters, "town", nil) }
  end
  f.base = V.url("/search", { { "q", ctx.q } })
  f.filters = filters
  return f
end

-- Years a search can be limited to: from the first year of the site's
-- content to today's, newest first.
function V.search_years(today)
  local list, last = {}, tonumber(ssub(today or "", 1, 4)) or 2026
  for y = last, 2019, -1 do list[#list + 1] = tostring(y) end
  return list
end

------------------------------------------------------------------------------
-- Credit tools: the calculator (/credit/check) and the look-up (/credit/lookup)
------------------------------------------------------------------------------

local tier_names = { minor = "轻微", general = "一般", serious = "严重" }

-- Tier code -> its Chinese name; "" or nil -> 不清楚.
function V.tier_name(code)
  return tier_names[code] or "不清楚"
end

local conf_names = { partial = "部分核实", unverified = "未经核实" }

-- What a confidence code says on the page: nil for verified facts.
function V.conf_name(code)
  return conf_names[code]
end

-- Why the regime applies, in words.
function V.credit_why(a)
  local r = a.regime or {}
  local span = V.date_cn(r.from_date) .. "起施行" ..
    (r.until_date and ("，" .. V.date_cn(r.until_date) .. "止") or "")
  if a.why == "domain" then
    return "执法领域属于这一规定的适用范围，处罚决定日期在其施行之后（" .. span .. "）。"
  elseif a.why == "domain_early" then
    return "这一领域的专门规定施行以前作出的处罚，按当时施行的规定计算（" .. span .. "）。"
  end
  return "按处罚决定日期（" .. V.date_cn(a.decided) .. "）确定：这一规定" .. span .. "。"
end

-- Kind rows {code, name} -> "责令停产停业、限制从业".
function V.kind_names(list)
  local out = {}
  for i, k in ipairs(list or {}) do out[i] = k.name end
  return concat(out, "、")
end

-- The calculator's fields in form order, as {key, value} pairs for V.url:
-- form is ctx.form (kinds a set of codes), kind_list every kind in order.
function V.credit_pairs(form, kind_list)
  local f, out = form or {}, {}
  local function add(k) out[#out + 1] = { k, f[k] } end
  add("date"); add("party"); add("procedure")
  for _, k in ipairs(kind_list or {}) do
    if f.kinds and f.kinds[k.code] then out[#out + 1] = { "kind", k.code } end
  end
  add("fine"); add("domain"); add("tier"); add("published"); add("fulfilled")
  return out
end

-- The calculator filled in from a look-up record p (a published decision,
-- so the general procedure), answer first.
function V.credit_record_href(p)
  local kinds = {}
  for _, k in ipairs(p.kind_list or {}) do kinds[k.code] = true end
  local form = { date = p.decided, procedure = "general", kinds = kinds,
    fine = p.fine, domain = p.domain_code, tier = p.severity,
    fulfilled = p.fulfilled }
  return V.url("/credit/check", V.credit_pairs(form, p.kind_list)) .. "#answer"
end

-- The regimes' years in words: "2023年5月1日至2026年3月31日" or "2026年4月1日起".
function V.regime_span(r)
  if r.until_date then
    return V.date_cn(r.from_date) .. "至" .. V.date_cn(r.until_date)
  end
  return V.date_cn(r.from_date) .. "起"
end

-- The titles of the regimes whose periods count from day ("publication"),
-- as "《…》、《…》", or "无" when none do.
function V.regimes_counted_from(regimes, day)
  local out = {}
  for _, g in ipairs(regimes or {}) do
    if g.count_day == day then out[#out + 1] = "《" .. g.title .. "》" end
  end
  return #out > 0 and concat(out, "、") or "无"
end

-- The answer to "when can we apply for repair", as a headline sentence.
-- who: the regime's first "where" item, named when no date can be given.
function V.credit_repair(a, who)
  if a.repair == "not_published" then
    return "无需修复：按这一规定，这项处罚信息不公示。"
  elseif a.repair == "never" then
    return "不能提前修复：受到" .. V.kind_names(a.never_kinds) ..
      "处罚的，须公示到最长公示期届满（" .. V.date_cn(a.max_end or "") .. "）。"
  elseif a.repair == "unknown" then
    return "本站无法计算最早申请日期：这一规定的最短公示期本站未能核实。是否可以提前停止公示由作出处罚决定的机关决定：" ..
      (who or "请向作出处罚决定的机关咨询。")
  elseif a.repair == "moot" then
    return "无需申请修复：到最早可以申请的日期时，最长公示期（" ..
      V.date_cn(a.max_end or "") .. "届满）已经结束，公示会自动停止。"
  end
  local s = "最早可以在" .. V.date_cn(a.earliest or "") .. "申请信用修复"
  if a.fulfil_first then s = s .. "，前提是届时已履行完处罚决定" end
  return s .. "。"
end

local status_texts = {
  not_published = "按规定不公示（或原则上不公示）。",
  ended = "最长公示期已届满，应已停止公示。",
  can_apply = "已经可以申请信用修复。",
  fulfil_first = "最短公示期已满；履行完处罚决定后即可申请信用修复。",
  unfulfilled = "最长公示期已届满，但没有填写履行完毕的日期：未履行处罚决定的，是否停止公示按有关行业主管部门的规定办理，请向作出处罚决定的机关确认。",
  unknown = "最早申请日期无法确定，请向作出处罚决定的机关咨询。",
}

-- Where publication stands today, for the answer a (status and dates).
function V.credit_status(a)
  if a.status == "wait" then
    return "公示中；自" .. V.date_cn(a.earliest or "") .. "起可以申请信用修复。"
  elseif a.status == "until_end" then
    return "公示中，不能提前修复，公示至" .. V.date_cn(a.max_end or "") .. "。"
  end
  return status_texts[a.status] or ""
end

------------------------------------------------------------------------------
-- Charts
------------------------------------------------------------------------------

-- Rows {code, name, n} as the bars of a horizontal bar chart 320 SVG user
-- units wide: largest first (ties in the order of codes, a site code list),
-- each with its geometry. large: bigger labels and rows (长者模式).
-- Returns { width, height, font, rows = { {code, name, n, y, bar_y, bar_w,
-- bar_h, text_y, value_x} }, total, label_x, bar_x, top = the largest row }.
function V.bars(rows, codes, large)
  local width, row_h, font = 320, 24, 14
  if large then row_h, font = 30, 17 end
  local _, pos = index_of(codes)
  local order = {}
  for i, r in ipairs(rows or {}) do
    order[#order + 1] = { code = r.code, name = tostring(r.name or r.code),
      n = r.n or 0, i = pos[r.code] or (1000 + i) }
  end
  sort(order, function(a, b)
    if a.n ~= b.n then return a.n > b.n end
    return a.i < b.i
  end)
  local longest, most, total = 2, 0, 0
  for _, r in ipairs(order) do
    longest = max(longest, ulen(r.name) or #r.name)
    most = max(most, r.n)
    total = total + r.n
  end
  local pad = floor(font / 2)
  local bar_x = min(longest * font + 2 * pad, floor(width * 0.45))
  local value_w = 3 * font
  local span = width - bar_x - value_w
  for k, r in ipairs(order) do
    r.y = (k - 1) * row_h
    r.bar_h = row_h - floor(row_h / 3)
    r.bar_y = r.y + floor(row_h / 6)
    r.bar_w = most > 0 and max(2, floor(span * r.n / most + 0.5)) or 2
    r.text_y = r.y + floor(row_h / 2 + font * 0.36 + 0.5)
    r.value_x = bar_x + r.bar_w + pad
  end
  return { width = width, height = max(row_h, #order * row_h), rows = order,
    total = total, label_x = bar_x - pad, bar_x = bar_x, top = order[1],
    font = font }
end

return V

-- minimesos lsp in a real editor: Neovim's own LSP client (0.7 and later)
-- starts `$MINIMESOS lsp`, opens the corpus's accepted files and a bad file
-- (plain, then with CRLF lines), and checks diagnostics against `lint`,
-- hover, completion, formatting, symbols, and a quick fix applied to the
-- buffer (Neovim then sends it back as an incremental change). Once with
-- UTF-16 positions (Neovim's default) and once with UTF-8 negotiated.
-- Every wait is bounded. Prints "nvim-lsp: N passed, M failed" and exits
-- non-zero on any failure. Run by tests/cli/lsp_nvim.sh:
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/cli/lsp_nvim.lua'
-- with MINIMESOS (the program), MM_ROOT (this repository) and MM_TMP (a
-- scratch folder holding bad.minimesosFile, bad-crlf.minimesosFile,
-- messy.minimesosFile and syntax.minimesosFile) in the environment.

local mm = assert(os.getenv('MINIMESOS'), 'MINIMESOS')
local root = assert(os.getenv('MM_ROOT'), 'MM_ROOT')
local tmp = assert(os.getenv('MM_TMP'), 'MM_TMP')
local WAIT = 10000

local passed, failed = 0, 0
local function ok(cond, what)
  if cond then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write('FAIL: ' .. what .. '\n')
  end
  return cond
end

local function finish()
  io.stdout:write(string.format('nvim-lsp: %d passed, %d failed\n', passed, failed))
  io.stdout:flush()
  if failed > 0 then vim.cmd('cquit 1') else vim.cmd('qall!') end
end

-- Any error in the script is a failure, never a hang.
local function protect(f)
  local good, err = xpcall(f, debug.traceback)
  if not good then ok(false, 'the script failed: ' .. tostring(err)) end
end

local published = {}   -- uri -> how many publishDiagnostics
local exits = {}       -- client id -> exit code

local function lint_json(path)
  local out = vim.fn.system({ mm, 'lint', '--format', 'json', path })
  return vim.fn.json_decode(out)
end

local function start(encoding)
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.textDocument.completion.completionItem.snippetSupport = true
  if encoding == 'utf-8' then
    caps.general = caps.general or {}
    caps.general.positionEncodings = { 'utf-8' }
  end
  local config = {
    name = 'minimesos-' .. encoding,
    cmd = { mm, 'lsp' },
    root_dir = tmp,
    capabilities = caps,
    on_init = function(client, result)
      -- Neovim before 0.9 does not read the negotiated encoding itself
      local enc = result.capabilities.positionEncoding
      if enc then client.offset_encoding = enc end
    end,
    on_exit = function(code, _, id) exits[id] = code end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, cfg)
        published[result.uri] = (published[result.uri] or 0) + 1
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, cfg)
      end,
    },
  }
  local id = vim.lsp.start_client(config)
  ok(id ~= nil, encoding .. ': the client started')
  ok(vim.wait(WAIT, function()
    local c = vim.lsp.get_client_by_id(id)
    return c ~= nil and c.initialized == true
  end, 10), encoding .. ': initialized')
  return id, config
end

-- Open path in a buffer attached to the client; wait for its first diagnostics.
local function open(id, path)
  vim.cmd('edit! ' .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  if vim.lsp.buf_is_attached(buf, id) then return buf, uri end -- opened before
  local before = published[uri] or 0
  vim.lsp.buf_attach_client(buf, id)
  ok(vim.wait(WAIT, function() return (published[uri] or 0) > before end, 10),
     'diagnostics published for ' .. path)
  return buf, uri
end

local function sorted_diags(buf)
  local d = vim.diagnostic.get(buf)
  table.sort(d, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return d
end

-- The editor's diagnostics (in bytes, as Neovim keeps them) equal lint's.
local function same_as_lint(buf, path, what)
  local want = lint_json(path)
  local got = sorted_diags(buf)
  if not ok(#got == #want, string.format('%s: %d diagnostics, lint has %d', what, #got, #want)) then
    return
  end
  for i, w in ipairs(want) do
    local g = got[i]
    local msg = w.message
    if w.hint ~= vim.NIL and w.hint ~= nil then msg = msg .. '; hint: ' .. w.hint end
    ok(g.code == w.code, string.format('%s #%d: code %s, lint %s', what, i, tostring(g.code), w.code))
    ok(g.message == msg, string.format('%s #%d: message %q', what, i, g.message))
    ok(g.lnum == w.line - 1 and g.col == w.column - 1,
       string.format('%s %s: at %d:%d, lint %d:%d', what, w.code, g.lnum + 1, g.col + 1, w.line, w.column))
    ok(g.end_lnum == w.endLine - 1 and g.end_col == w.endColumn - 1,
       string.format('%s %s: ends %d:%d, lint %d:%d', what, w.code, g.end_lnum + 1, g.end_col + 1,
                     w.endLine, w.endColumn))
  end
end

local function request(id, buf, method, params, want_error)
  local client = vim.lsp.get_client_by_id(id)
  params.textDocument = { uri = vim.uri_from_bufnr(buf) }
  local r, err = client.request_sync(method, params, WAIT, buf)
  if not ok(r ~= nil, method .. ': an answer (' .. tostring(err) .. ')') then return nil end
  if want_error then return r.err end
  ok(r.err == nil, method .. ': no error (' .. vim.inspect(r.err) .. ')')
  return r.result
end

-- A position in the client's encoding of byte column col on line lnum (0-based).
local function pos(id, buf, lnum, col)
  local client = vim.lsp.get_client_by_id(id)
  local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, true)[1]
  local ch = col
  if client.offset_encoding ~= 'utf-8' then
    local _, u16 = vim.str_utfindex(line, col)
    ch = u16
  end
  return { line = lnum, character = ch }
end

local function find_col(buf, lnum, text)
  local line = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, true)[1]
  local s = line:find(text, 1, true)
  assert(s, 'no ' .. text .. ' on line ' .. lnum)
  return s - 1
end

local function labels(list)
  local items = list.items or list
  local t = {}
  for _, it in ipairs(items) do t[it.label] = it end
  return t
end

local function session(encoding)
  local id = start(encoding)
  local E = encoding .. ': '

  -- every accepted corpus file: the diagnostics lint gives (none, or warnings)
  local files = vim.fn.glob(root .. '/tests/corpus/accept/*.minimesosFile', false, true)
  ok(#files >= 5, E .. 'corpus files found')
  for _, f in ipairs(files) do
    local buf = open(id, f)
    same_as_lint(buf, f, E .. vim.fn.fnamemodify(f, ':t'))
  end

  -- the outline of a two-agent file
  local two = root .. '/tests/corpus/accept/upstream-two-agents.minimesosFile'
  local buf = open(id, two)
  local syms = request(id, buf, 'textDocument/documentSymbol', {}) or {}
  local names = {}
  local function walk(list)
    for _, s in ipairs(list) do
      names[#names + 1] = s.name
      walk(s.children or {})
    end
  end
  walk(syms)
  local joined = table.concat(names, ',')
  ok(joined:find('minimesos', 1, true) and joined:find('agent 1', 1, true) and
     joined:find('agent 2', 1, true), E .. 'outline has minimesos, agent 1, agent 2: ' .. joined)

  -- the bad file, then the same with CRLF lines
  for _, name in ipairs({ 'bad.minimesosFile', 'bad-crlf.minimesosFile' }) do
    local path = tmp .. '/' .. name
    local B = E .. name .. ': '
    buf = open(id, path)
    if name:find('crlf') then ok(vim.bo[buf].fileformat == 'dos', B .. 'read as CRLF') end
    same_as_lint(buf, path, B .. 'diagnostics')

    -- hover on `timeot`'s neighbour `timeout`, and on a block
    local l_timeout = 2
    local h = request(id, buf, 'textDocument/hover',
                      { position = pos(id, buf, l_timeout, find_col(buf, l_timeout, 'timeout') + 2) })
    ok(h and h.contents and h.contents.value:find('`timeout`: int property', 1, true),
       B .. 'hover on timeout: ' .. vim.inspect(h))
    h = request(id, buf, 'textDocument/hover', { position = pos(id, buf, 5, find_col(buf, 5, 'agent')) })
    ok(h and h.contents.value:find('`agent`: block in `minimesos`', 1, true), B .. 'hover on agent')

    -- completion: in the agent (portNumber is set), and a value
    local c = request(id, buf, 'textDocument/completion', { position = pos(id, buf, 7, 8) })
    local t = labels(c or {})
    ok(t.imageName ~= nil, B .. 'completion offers imageName')
    ok(t.portNumber == nil, B .. 'completion leaves out portNumber (set)')
    ok(t.resources ~= nil and t.resources.insertTextFormat == 2 and
       t.resources.textEdit.newText == 'resources {\n\t$0\n}', B .. 'resources as a snippet')
    local q = find_col(buf, 3, '"') + 1
    c = request(id, buf, 'textDocument/completion', { position = pos(id, buf, 3, q) })
    t = labels(c or {})
    ok(t.INFO and t.WARNING and t.ERROR, B .. 'loggingLevel values')

    -- the quick fix for `timeot` (after non-ASCII text on its line)
    local diags = sorted_diags(buf)
    local target
    for _, d in ipairs(diags) do
      if d.code == 'E200' then target = d end
    end
    if ok(target ~= nil, B .. 'an E200 to fix') then
      local acts = request(id, buf, 'textDocument/codeAction', {
        range = { start = pos(id, buf, target.lnum, target.col), ['end'] = pos(id, buf, target.end_lnum, target.end_col) },
        context = { diagnostics = {} },
      }) or {}
      local fix
      for _, a in ipairs(acts) do
        if a.title == 'Change `timeot` to `timeout`' then fix = a end
      end
      if ok(fix ~= nil, B .. 'the quick fix is offered: ' .. vim.inspect(acts)) then
        local uri = vim.uri_from_bufnr(buf)
        local before = published[uri]
        vim.lsp.util.apply_workspace_edit(fix.edit, vim.lsp.get_client_by_id(id).offset_encoding)
        local line = vim.api.nvim_buf_get_lines(buf, 1, 2, true)[1]
        ok(line:find('; timeout = 5', 1, true) ~= nil, B .. 'the buffer has the fix: ' .. line)
        ok(vim.wait(WAIT, function() return published[uri] > before end, 10), B .. 'rechecked after the fix')
        local still = false
        for _, d in ipairs(vim.diagnostic.get(buf)) do
          if d.code == 'E200' then still = true end
        end
        ok(not still, B .. 'E200 gone after the fix')
        -- the buffer now agrees with lint of what it holds
        local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, true), '\n') .. '\n'
        local fixed = tmp .. '/fixed-' .. encoding .. '-' .. name
        vim.fn.writefile(vim.split(text, '\n', { plain = true }), fixed, 'b')
        same_as_lint(buf, fixed, B .. 'after the fix')
      end
    end

    -- typing, one character at a time on the empty agent line: one
    -- incremental change per key, and the diagnostics follow
    local uri = vim.uri_from_bufnr(buf)
    local typed = 'privileged = "true"'
    for i = 1, #typed do
      local ch = typed:sub(i, i)
      vim.api.nvim_buf_set_text(buf, 7, 8 + i - 1, 7, 8 + i - 1, { ch })
    end
    ok(vim.wait(WAIT, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.code == 'E203' and d.lnum == 7 and d.col == 21 then return true end
      end
      return false
    end, 10), B .. 'typed `privileged = "true"`: E203 on the value')
  end

  -- formatting: a messy file comes out as `minimesos fmt` writes it
  local messy = tmp .. '/messy.minimesosFile'
  buf = open(id, messy)
  local edits = request(id, buf, 'textDocument/formatting', { options = { tabSize = 4, insertSpaces = true } })
  ok(edits and #edits == 1, E .. 'one formatting edit')
  if edits then
    vim.lsp.util.apply_text_edits(edits, buf, vim.lsp.get_client_by_id(id).offset_encoding)
  end
  local want = vim.fn.systemlist({ mm, 'fmt', '-' }, vim.fn.readfile(messy))
  local got = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
  ok(vim.deep_equal(got, want), E .. 'formatted buffer = fmt: ' .. table.concat(got, '|'))
  local hasComment = false
  for _, l in ipairs(got) do
    if l:find('//', 1, true) then hasComment = true end
  end
  ok(hasComment, E .. 'comments kept')
  -- a file with a syntax error: an error, and the buffer stays
  buf = open(id, tmp .. '/syntax.minimesosFile')
  local before = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
  local err = request(id, buf, 'textDocument/formatting', { options = { tabSize = 4, insertSpaces = true } }, true)
  ok(err ~= nil and err.code == -32803, E .. 'formatting a file with a syntax error is an error: ' .. vim.inspect(err))
  ok(vim.deep_equal(vim.api.nvim_buf_get_lines(buf, 0, -1, true), before), E .. 'that buffer is unchanged')

  -- shutdown and exit: status 0
  vim.lsp.stop_client(id)
  ok(vim.wait(WAIT, function() return exits[id] ~= nil end, 10), E .. 'the server exited')
  ok(exits[id] == 0, E .. 'exit status 0 after shutdown: ' .. tostring(exits[id]))
  vim.cmd('silent! %bwipeout!')
end

protect(function() session('utf-16') end)
vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
protect(function() session('utf-8') end)
finish()

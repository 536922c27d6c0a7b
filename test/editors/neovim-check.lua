-- Run by neovim.test.ts inside `nvim --headless -u <the README's config>` on a risky config:
-- waits for Probe Guard's diagnostic, asks for the quick fixes, resolves and applies the
-- preferred one as Neovim's own code action UI does, writes the file, and waits for the
-- diagnostic to go away. The outcome goes to $PG_RESULT as JSON.
local result_file = os.getenv('PG_RESULT')
local function finish(result)
  local f = assert(io.open(result_file, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local buf = vim.api.nvim_get_current_buf()
local function codes()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'Probe Guard' then table.insert(out, d.code) end
  end
  table.sort(out)
  return out
end
local function find(code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return d end
  end
end

if not vim.wait(60000, function() return find('liveness-probe-stolen') ~= nil end, 100) then
  return finish({ error = 'no liveness-probe-stolen diagnostic', codes = codes() })
end
local before = codes()
local diagnostic = find('liveness-probe-stolen')
local lsp_diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.user_data and d.user_data.lsp then table.insert(lsp_diagnostics, d.user_data.lsp) end
end
local params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = { start = { line = diagnostic.lnum, character = diagnostic.col }, ['end'] = { line = diagnostic.end_lnum, character = diagnostic.end_col } },
  context = { diagnostics = lsp_diagnostics, only = { 'quickfix' } },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 30000) or {}
local client_id, action
for id, response in pairs(responses) do
  for _, candidate in ipairs(response.result or {}) do
    if candidate.isPreferred then client_id, action = id, candidate end
  end
end
if not action then return finish({ error = 'no preferred quick fix', codes = before }) end
local client = vim.lsp.get_client_by_id(client_id)
if not action.edit then
  local resolved = client.request_sync('codeAction/resolve', action, 30000, buf)
  if not resolved or resolved.err or not resolved.result.edit then return finish({ error = 'resolve failed', title = action.title }) end
  action = resolved.result
end
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
vim.cmd('write')
local fixed = vim.wait(60000, function() return find("liveness-probe-stolen") == nil end, 100)
finish({ ok = fixed, title = action.title, before = before, after = codes(), text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') })

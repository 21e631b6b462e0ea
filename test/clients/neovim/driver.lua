-- Driven by test/clients/neovim.test.ts after the documented init.lua has set up the client and
-- Neovim has opened the series: waits for the server's diagnostics, asks a hover on the first line
-- that holds NEEDLE, writes what arrived as JSON to OUT, and quits.
local out = os.getenv('VFIO_LENS_OUT')
local needle = os.getenv('VFIO_LENS_NEEDLE')
-- Bounds on waiting, so a silent server fails the test instead of hanging it; nothing is measured.
local wait_ms = tonumber(os.getenv('VFIO_LENS_WAIT_MS') or '60000')

local function finish(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local buf = vim.api.nvim_get_current_buf()
  local result = { filetype = vim.bo[buf].filetype, nvim = vim.version() }
  local got = vim.wait(wait_ms, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  result.waited_for_diagnostics = got
  result.clients = {}
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    table.insert(result.clients, c.name)
  end
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, code = d.code, message = d.message })
  end
  -- \\V: the needle is literal text (its tab a tab), not a pattern.
  local line = vim.fn.search('\\V' .. vim.fn.escape(needle, '\\'), 'w')
  result.hover_line = line
  if line > 0 then
    local col = vim.fn.col('.') - 1
    vim.api.nvim_win_set_cursor(0, { line, col })
    local replies = vim.lsp.buf_request_sync(buf, 'textDocument/hover', vim.lsp.util.make_position_params(), wait_ms)
    result.hover = {}
    for _, reply in pairs(replies or {}) do
      if reply.result and reply.result.contents then
        table.insert(result.hover, reply.result.contents)
      end
      if reply.err then
        result.hover_error = reply.err
      end
    end
  end
  finish(result)
end)
if not ok then
  finish({ error = tostring(err) })
end

;;; driver.el --- drives eglot for test/clients/emacs.test.ts  -*- lexical-binding: t -*-

;; Loaded by `emacs --batch' after the documented init.el: opens VFIO_LENS_FILE, lets eglot connect,
;; waits for the server's diagnostics in Flymake, asks a hover on the first line holding
;; VFIO_LENS_NEEDLE, writes what arrived as JSON to VFIO_LENS_OUT.  The waits are bounds that turn
;; a silent server into a failure instead of a hang; nothing is measured against them.

(require 'json)
(require 'flymake)

(defvar vfio-lens-test-wait
  (/ (string-to-number (or (getenv "VFIO_LENS_WAIT_MS") "60000")) 1000.0))

(defun vfio-lens-test-wait-for (pred)
  "Let timers and process output run until PRED holds or the wait is over; return PRED's value."
  (let ((deadline (+ (float-time) vfio-lens-test-wait)) (value nil))
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun vfio-lens-test-write (result)
  (with-temp-file (getenv "VFIO_LENS_OUT")
    (insert (json-encode result))))

(condition-case err
    ;; find-file as a user's C-x C-f: the buffer is shown in the selected window.
    (let ((buffer (find-file (getenv "VFIO_LENS_FILE"))) (result nil))
      (with-current-buffer buffer
        ;; eglot-ensure connects, and Flymake starts, from post-command-hook, which the interactive
        ;; command loop runs after each command; batch has no command loop, so run it as it would.
        (run-hooks 'post-command-hook)
        (push (cons 'major_mode (symbol-name major-mode)) result)
        (push (cons 'emacs emacs-version) result)
        (push (cons 'eglot (if (vfio-lens-test-wait-for #'eglot-current-server) t :json-false)) result)
        (let ((server (eglot-current-server)))
          (push (cons 'server_name (and server (plist-get (eglot--server-info server) :name))) result)
          (push (cons 'language_id (and server (eglot--language-id server))) result)
          (run-hooks 'post-command-hook)
          (vfio-lens-test-wait-for (lambda () (flymake-diagnostics)))
          (push (cons 'diagnostics
                      (vconcat
                       (mapcar (lambda (d)
                                 (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                                       (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                       (cons 'text (flymake-diagnostic-text d))))
                               (flymake-diagnostics))))
                result)
          (goto-char (point-min))
          (when (and server (search-forward (getenv "VFIO_LENS_NEEDLE") nil t))
            (goto-char (match-beginning 0))
            (push (cons 'hover_line (line-number-at-pos)) result)
            (let ((hover (jsonrpc-request server :textDocument/hover
                                          (eglot--TextDocumentPositionParams))))
              (push (cons 'hover (plist-get (plist-get hover :contents) :value)) result)))
          ;; Shut down as a user's M-x eglot-shutdown does (eglot then kills the process), keeping
          ;; the JSON-RPC traffic for the test to look for errors on the wire.
          (when server
            (eglot-shutdown server nil nil t)
            (with-current-buffer (jsonrpc-events-buffer server)
              (write-region (point-min) (point-max) (concat (getenv "VFIO_LENS_OUT") ".events"))))))
      (vfio-lens-test-write result))
  (error (vfio-lens-test-write (list (cons 'error (error-message-string err))))))

;;; driver.el ends here

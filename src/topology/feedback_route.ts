/**
 * `POST /v1/feedback`: an operator's verdict on an emitted anomaly, as JSON
 * (`{anomaly_id, verdict, expires_in_hours?, note?}`, FeedbackSchema), handed
 * to the FeedbackDesk (../analysis/rules/feedback.ts), which turns it into a
 * rule. Answers 200 with the rule, 400 with a JSON message for a body that is
 * not valid feedback, 404 for an anomaly id no longer remembered. Kept out of
 * the desk's module so `lookout analyze`, which has no HTTP, never loads express.
 */
import express, { type Router } from 'express';
import { FEEDBACK_PATH, FeedbackSchema, UnknownAnomalyError, type FeedbackDesk } from '../analysis/rules/feedback.js';

const MAX_BODY = '16kb';

export function feedbackRouter(desk: FeedbackDesk): Router {
  const router = express.Router();
  router.post(FEEDBACK_PATH, express.json({ limit: MAX_BODY, type: () => true }), async (req, res) => {
    const parsed = FeedbackSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `invalid feedback: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`, code: 400 });
      return;
    }
    try {
      const rule = await desk.record(parsed.data);
      res.status(200).json({ accepted: true, rule: rule ?? null, persisted: rule !== undefined && desk.book.persistent });
    } catch (err) {
      if (err instanceof UnknownAnomalyError) res.status(404).json({ error: err.message, code: 404 });
      else res.status(500).json({ error: `could not store the rule: ${(err as Error).message}`, code: 500 });
    }
  });
  // A body express.json cannot parse is the client's fault: JSON 400, not express's HTML page.
  router.use(FEEDBACK_PATH, ((err, _req, res, next) => {
    if (!err) return next();
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 400;
    res.status(status).json({ error: `invalid feedback body: ${err.message}`, code: status });
  }) as express.ErrorRequestHandler);
  return router;
}

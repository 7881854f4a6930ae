/** The one place warden creates onnxruntime sessions, so every model gets the same CPU settings. */
import * as ort from 'onnxruntime-node';

export interface SessionSettings {
  readonly intraOpNumThreads: number;
}

export async function createSession(model: string | Uint8Array, s: SessionSettings): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: s.intraOpNumThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

export { ort };

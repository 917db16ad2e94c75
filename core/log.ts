/** The logging surface the ETL and scheduler need; Fastify's logger and console both fit. */
export interface Log {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export const consoleLog: Log = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {} };

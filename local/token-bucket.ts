/** Stage throttling as API Gateway applies it: a steady rate with a burst allowance. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();
  private readonly rate: number;
  private readonly burst: number;

  constructor(limits: { rateLimit: number; burstLimit: number }) {
    this.rate = limits.rateLimit;
    this.burst = limits.burstLimit;
    this.tokens = limits.burstLimit;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

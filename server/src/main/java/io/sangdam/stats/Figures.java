package io.sangdam.stats;

/**
 * The figures of one interval (or of the whole range) as PROTOCOL.md names them. Averages,
 * rates and the percentile are null where nothing was counted: no figure is better than a made-up zero.
 *
 * <ul>
 *   <li>{@code offered}: conversations created in the interval that have ended; {@code handled}: of
 *       them, closed after an agent took them; {@code abandoned}: the customer left (or stayed away past
 *       the grace) before an agent answered them, while waiting or assigned before the agent's first
 *       message; counted under no agent, since nobody served them</li>
 *   <li>{@code abandonRate}: abandoned / offered; {@code serviceLevel}: handled within the center's
 *       target / offered</li>
 *   <li>{@code avgWaitSeconds}, {@code p90WaitSeconds}: creation to first assignment, over handled;
 *       p90 is the nearest-rank percentile, as its {@link WaitHistogram} bucket
 *       stands for it: exact to the tenth below 102.4 s, within 1.6 % beyond</li>
 *   <li>{@code avgHandleSeconds}: first assignment to the end; {@code avgFirstResponseSeconds}:
 *       creation to the agent's first message</li>
 * </ul>
 */
public record Figures(long offered, long handled, long abandoned, Double abandonRate, Double avgWaitSeconds,
    Double p90WaitSeconds, Double serviceLevel, Double avgHandleSeconds, Double avgFirstResponseSeconds,
    long transfers, Double csatAvg, long csatResponses) {

  /** The roll-ups and the counts of waits of the same interval (or range), added up. */
  static final class Tally {
    private long offered;
    private long handled;
    private long abandoned;
    private long waitMs;
    private long answeredInTarget;
    private long handleMs;
    private long firstResponses;
    private long firstResponseMs;
    private long transfers;
    private long csatResponses;
    private long csatSum;
    private final WaitHistogram waits = new WaitHistogram();

    void add(StatisticsStore.Totals h) {
      offered += h.offered();
      handled += h.handled();
      abandoned += h.abandoned();
      waitMs += h.waitMs();
      answeredInTarget += h.answeredInTarget();
      handleMs += h.handleMs();
      firstResponses += h.firstResponses();
      firstResponseMs += h.firstResponseMs();
      transfers += h.transfers();
      csatResponses += h.csatResponses();
      csatSum += h.csatSum();
    }

    void addWaits(int bucket, long count) {
      waits.add(bucket, count);
    }

    Figures figures() {
      return new Figures(offered, handled, abandoned, ratio(abandoned, offered), seconds(waitMs, handled),
          p90Seconds(), ratio(answeredInTarget, offered), seconds(handleMs, handled),
          seconds(firstResponseMs, firstResponses), transfers,
          csatResponses == 0 ? null : round((double) csatSum / csatResponses, 100), csatResponses);
    }

    private Double p90Seconds() {
      Double p90 = waits.p90Seconds();
      return p90 == null ? null : round(p90, 10);
    }
  }

  private static Double ratio(long part, long whole) {
    return whole == 0 ? null : round((double) part / whole, 10_000);
  }

  /** Average milliseconds as seconds, to a tenth. */
  private static Double seconds(long totalMs, long count) {
    return count == 0 ? null : round(totalMs / 1000.0 / count, 10);
  }

  private static double round(double value, int scale) {
    return Math.round(value * scale) / (double) scale;
  }
}

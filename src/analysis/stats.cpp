#include "analysis/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace sysaxis::analysis::stats {

Levels group_levels(std::span<const double> x, std::span<const double> y) {
  std::map<double, std::vector<double>> by_x;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) by_x[x[i]].push_back(y[i]);
  Levels levels;
  levels.reserve(by_x.size());
  for (auto& [xv, ys] : by_x) levels.push_back({xv, std::move(ys)});
  return levels;
}

double mean(std::span<const double> v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double d : v) s += d;
  return s / static_cast<double>(v.size());
}

double std_dev(std::span<const double> v) {
  if (v.size() < 2) return 0;
  double m = mean(v);
  double ss = 0;
  for (double d : v) ss += (d - m) * (d - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

std::vector<double> level_means(const Levels& levels) {
  std::vector<double> out;
  out.reserve(levels.size());
  for (const auto& l : levels) out.push_back(mean(l.y));
  return out;
}

std::size_t observations(const Levels& levels) {
  std::size_t n = 0;
  for (const auto& l : levels) n += l.y.size();
  return n;
}

namespace {

// The mean of every observation of every level (n of them, n > 0).
double grand_mean(const Levels& levels, std::size_t n) {
  double sum = 0;
  for (const auto& l : levels) {
    for (double y : l.y) sum += y;
  }
  return sum / static_cast<double>(n);
}

}  // namespace

std::size_t min_repetitions(const Levels& levels) {
  if (levels.empty()) return 0;
  std::size_t n = std::numeric_limits<std::size_t>::max();
  for (const auto& l : levels) n = std::min(n, l.y.size());
  return n;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (sorted.size() == 1) return sorted[0];
  q = std::clamp(q, 0.0, 1.0);
  double h = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

Interval percentile_interval(std::vector<double> samples, double confidence) {
  if (samples.empty()) {
    double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
  }
  std::sort(samples.begin(), samples.end());
  double tail = (1.0 - confidence) / 2.0;
  return {quantile_sorted(samples, tail), quantile_sorted(samples, 1.0 - tail)};
}

Affine fit_affine_weighted(std::span<const double> x, std::span<const double> means, std::span<const double> weights) {
  Affine fit;
  double w = 0;
  double sx = 0;
  double sy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    w += weights[i];
    sx += weights[i] * x[i];
    sy += weights[i] * means[i];
  }
  if (w <= 0) return fit;
  double xbar = sx / w;
  double ybar = sy / w;
  double sxx = 0;
  double sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double dx = x[i] - xbar;
    sxx += weights[i] * dx * dx;
    sxy += weights[i] * dx * (means[i] - ybar);
  }
  if (!(sxx > 0)) {
    fit.c0 = ybar;
    return fit;
  }
  fit.c1 = sxy / sxx;
  fit.c0 = ybar - fit.c1 * xbar;
  fit.ok = true;
  return fit;
}

namespace {
std::vector<double> xs_of(const Levels& levels) {
  std::vector<double> xs;
  xs.reserve(levels.size());
  for (const auto& l : levels) xs.push_back(l.x);
  return xs;
}
std::vector<double> weights_of(const Levels& levels) {
  std::vector<double> w;
  w.reserve(levels.size());
  for (const auto& l : levels) w.push_back(static_cast<double>(l.y.size()));
  return w;
}
}  // namespace

Affine fit_affine(const Levels& levels) {
  return fit_affine_weighted(xs_of(levels), level_means(levels), weights_of(levels));
}

double r_squared(const Levels& levels, const Affine& fit) {
  double n = 0;
  double s = 0;
  for (const auto& l : levels) {
    for (double y : l.y) {
      s += y;
      n += 1;
    }
  }
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  double ybar = s / n;
  double ss_tot = 0;
  double ss_res = 0;
  for (const auto& l : levels) {
    for (double y : l.y) {
      ss_tot += (y - ybar) * (y - ybar);
      double r = y - fit.at(l.x);
      ss_res += r * r;
    }
  }
  if (!(ss_tot > 0)) return ss_res > 0 ? 0.0 : 1.0;
  return 1.0 - ss_res / ss_tot;
}

LackOfFit lack_of_fit(const Levels& levels, const Affine& fit) {
  LackOfFit out;
  double max_dev = 0;
  for (const auto& l : levels) {
    double m = mean(l.y);
    double d = m - fit.at(l.x);
    out.ss_lof += static_cast<double>(l.y.size()) * d * d;
    max_dev = std::max(max_dev, std::abs(d));
    for (double y : l.y) out.ss_pe += (y - m) * (y - m);
  }
  std::size_t k = levels.size();
  std::size_t n = observations(levels);
  out.df_lof = k > 2 ? k - 2 : 0;
  out.df_pe = n > k ? n - k : 0;
  if (out.df_lof > 0 && out.df_pe > 0) {
    if (out.ss_pe > 0) {
      double f = (out.ss_lof / static_cast<double>(out.df_lof)) / (out.ss_pe / static_cast<double>(out.df_pe));
      out.p = f_survival(f, static_cast<double>(out.df_lof), static_cast<double>(out.df_pe));
    } else {
      // No replicate noise at all: any deviation is significant, none is not.
      out.p = out.ss_lof > 0 ? 0.0 : 1.0;
    }
  }
  double change = levels.empty() ? 0 : std::abs(fit.c1) * (levels.back().x - levels.front().x);
  if (change > 0) {
    out.relative = max_dev / change;
  } else {
    out.relative = max_dev > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  }
  return out;
}

namespace {
// Continued fraction of the incomplete beta function (modified Lentz's method).
double beta_continued_fraction(double a, double b, double x) {
  constexpr int kMaxIterations = 500;
  constexpr double kEpsilon = 1e-15;
  constexpr double kTiny = 1e-300;
  double qab = a + b;
  double qap = a + 1.0;
  double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (std::abs(del - 1.0) < kEpsilon) break;
  }
  return h;
}
}  // namespace

double incomplete_beta(double a, double b, double x) {
  if (!(x > 0)) return 0.0;
  if (!(x < 1)) return 1.0;
  double ln_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  double front = std::exp(ln_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double f_survival(double f, double d1, double d2) {
  if (std::isnan(f)) return std::numeric_limits<double>::quiet_NaN();
  if (!(f > 0)) return 1.0;
  if (std::isinf(f)) return 0.0;
  return incomplete_beta(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f));
}

std::optional<double> loglog_slope(std::span<const double> x, std::span<const double> y) {
  std::vector<double> lx;
  std::vector<double> ly;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i] > 0 && y[i] > 0) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  }
  if (lx.size() < 2) return std::nullopt;
  std::vector<double> ones(lx.size(), 1.0);
  Affine fit = fit_affine_weighted(lx, ly, ones);
  if (!fit.ok) return std::nullopt;
  return fit.c1;
}

std::optional<double> marginal_loglog_slope(std::span<const double> x, std::span<const double> means, double sign) {
  if (x.size() < 3 || means.size() != x.size()) return std::nullopt;
  std::vector<double> dx;
  std::vector<double> m;
  for (std::size_t i = 1; i < x.size(); ++i) {
    dx.push_back(x[i] - x[0]);
    m.push_back(sign * (means[i] - means[0]));
  }
  return loglog_slope(dx, m);
}

std::uint64_t Rng::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t Rng::below(std::uint64_t n) {
  // Reject the top partial block so that every residue is equally likely.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  for (;;) {
    std::uint64_t r = next();
    if (r < limit) return r % n;
  }
}

std::uint64_t seed_for(std::string_view key, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  Rng mix(h ^ seed);
  return mix.next();
}

std::vector<double> bootstrap_levels(const Levels& levels, std::size_t replicates, std::uint64_t seed,
                                     const std::function<std::optional<double>(std::span<const double>)>& statistic) {
  Rng rng(seed);
  std::vector<double> out;
  out.reserve(replicates);
  // Repetitions rescaled about their level mean by sqrt(n / (n - 1)): the plain bootstrap of a
  // mean has (n - 1) / n of its variance, too little with the 2-5 repetitions of a study.
  std::vector<std::vector<double>> adjusted;
  adjusted.reserve(levels.size());
  for (const auto& l : levels) {
    const double m = mean(l.y);
    const double k =
        l.y.size() > 1 ? std::sqrt(static_cast<double>(l.y.size()) / static_cast<double>(l.y.size() - 1)) : 1;
    std::vector<double> v;
    v.reserve(l.y.size());
    for (double y : l.y) v.push_back(m + k * (y - m));
    adjusted.push_back(std::move(v));
  }
  std::vector<double> means(levels.size());
  for (std::size_t r = 0; r < replicates; ++r) {
    for (std::size_t i = 0; i < levels.size(); ++i) {
      const auto& ys = adjusted[i];
      double s = 0;
      for (std::size_t j = 0; j < ys.size(); ++j) s += ys[rng.below(ys.size())];
      means[i] = ys.empty() ? 0 : s / static_cast<double>(ys.size());
    }
    if (auto v = statistic(means)) out.push_back(*v);
  }
  return out;
}

std::vector<double> bootstrap_indices(
    std::size_t n, std::size_t replicates, std::uint64_t seed,
    const std::function<std::optional<double>(std::span<const std::size_t>)>& statistic) {
  Rng rng(seed);
  std::vector<double> out;
  if (n == 0) return out;
  out.reserve(replicates);
  std::vector<std::size_t> idx(n);
  for (std::size_t r = 0; r < replicates; ++r) {
    for (auto& i : idx) i = rng.below(n);
    if (auto v = statistic(idx)) out.push_back(*v);
  }
  return out;
}

Estimate bootstrap_mean(std::span<const double> values, std::size_t replicates, double confidence, std::uint64_t seed) {
  Estimate e;
  e.value = mean(values);
  if (values.size() < 2) {
    e.ci = {e.value, e.value};
    return e;
  }
  auto samples = bootstrap_indices(values.size(), replicates, seed, [&](std::span<const std::size_t> idx) {
    double s = 0;
    for (auto i : idx) s += values[i];
    return std::optional<double>(s / static_cast<double>(idx.size()));
  });
  e.ci = percentile_interval(std::move(samples), confidence);
  return e;
}

Estimate bootstrap_ratio(std::span<const double> num, std::span<const double> den, std::size_t replicates,
                         double confidence, std::uint64_t seed) {
  auto ratio = [&](auto&& indices) {
    double a = 0;
    double b = 0;
    for (auto i : indices) {
      a += num[i];
      b += den[i];
    }
    return b > 0 ? a / b : 0.0;
  };
  Estimate e;
  std::vector<std::size_t> all(num.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  e.value = ratio(all);
  if (num.size() < 2) {
    e.ci = {e.value, e.value};
    return e;
  }
  auto samples = bootstrap_indices(num.size(), replicates, seed,
                                   [&](std::span<const std::size_t> idx) { return std::optional<double>(ratio(idx)); });
  e.ci = percentile_interval(std::move(samples), confidence);
  return e;
}

std::optional<double> anova_p(const Levels& levels) {
  const std::size_t k = levels.size();
  const std::size_t n = observations(levels);
  if (k < 2 || n <= k) return std::nullopt;
  const double grand = grand_mean(levels, n);
  double ss_between = 0;
  double ss_within = 0;
  for (const auto& l : levels) {
    const double m = mean(l.y);
    ss_between += static_cast<double>(l.y.size()) * (m - grand) * (m - grand);
    for (double y : l.y) ss_within += (y - m) * (y - m);
  }
  // Sums of squares below rounding of the data are zero (exact counts repeat exactly).
  const double scale = std::max(1.0, grand * grand) * static_cast<double>(n) * 1e-18;
  if (ss_between <= scale) return 1.0;
  if (ss_within <= scale) return 0.0;
  const double d1 = static_cast<double>(k - 1);
  const double d2 = static_cast<double>(n - k);
  return f_survival((ss_between / d1) / (ss_within / d2), d1, d2);
}

std::optional<double> slope_p(const Levels& levels, const Affine& fit) {
  const std::size_t n = observations(levels);
  if (levels.size() < 2 || n < 3 || !fit.ok) return std::nullopt;
  const double grand = grand_mean(levels, n);
  double ss_reg = 0;
  double ss_res = 0;
  for (const auto& l : levels) {
    const double yhat = fit.at(l.x);
    for (double y : l.y) {
      ss_reg += (yhat - grand) * (yhat - grand);
      ss_res += (y - yhat) * (y - yhat);
    }
  }
  const double scale = std::max(1.0, grand * grand) * static_cast<double>(n) * 1e-18;
  if (ss_reg <= scale) return 1.0;
  if (ss_res <= scale) return 0.0;
  const double df = static_cast<double>(n - 2);
  return f_survival(ss_reg / (ss_res / df), 1.0, df);
}

std::optional<double> dependence_p(const Levels& levels, const Affine& fit) {
  const auto a = anova_p(levels);
  const auto s = slope_p(levels, fit);
  if (!a) return s;
  if (!s) return a;
  return std::min(1.0, 2.0 * std::min(*a, *s));
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> q(m, 1.0);
  double running = 1.0;
  for (std::size_t r = m; r-- > 0;) {
    const std::size_t i = order[r];
    running = std::min(running, p[i] * static_cast<double>(m) / static_cast<double>(r + 1));
    q[i] = std::min(1.0, running);
  }
  return q;
}

Step fit_step(const Levels& levels) {
  Step best;
  const std::size_t k = levels.size();
  if (k < 2) return best;
  std::vector<double> means = level_means(levels);
  std::vector<double> w;
  for (const auto& l : levels) w.push_back(static_cast<double>(l.y.size()));
  double best_sse = std::numeric_limits<double>::infinity();
  for (std::size_t split = 1; split < k; ++split) {
    double wb = 0;
    double sb = 0;
    double wa = 0;
    double sa = 0;
    for (std::size_t i = 0; i < k; ++i) {
      (i < split ? wb : wa) += w[i];
      (i < split ? sb : sa) += w[i] * means[i];
    }
    const double below = sb / wb;
    const double above = sa / wa;
    double sse = 0;
    double worst = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const double d = means[i] - (i < split ? below : above);
      sse += w[i] * d * d;
      worst = std::max(worst, std::abs(d));
    }
    if (sse < best_sse) {
      best_sse = sse;
      best.ok = true;
      best.split = split;
      best.x_below = levels[split - 1].x;
      best.x_above = levels[split].x;
      best.below = below;
      best.above = above;
      const double jump = std::abs(above - below);
      best.relative = jump > 0 ? worst / jump : (worst > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    }
  }
  // Lack of fit of the step (3 parameters: two means and the split) against the pure error.
  double ss_pe = 0;
  std::size_t n = 0;
  for (const auto& l : levels) {
    const double m = mean(l.y);
    for (double y : l.y) ss_pe += (y - m) * (y - m);
    n += l.y.size();
  }
  if (k > 3 && n > k) {
    const double df_lof = static_cast<double>(k - 3);
    const double df_pe = static_cast<double>(n - k);
    if (ss_pe <= 0) {
      best.p = best_sse > 0 ? 0.0 : 1.0;
    } else {
      best.p = f_survival((best_sse / df_lof) / (ss_pe / df_pe), df_lof, df_pe);
    }
  }
  return best;
}

}  // namespace sysaxis::analysis::stats

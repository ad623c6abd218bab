//! The precomputed-forcing path (onsets and ADDT/ADDF on the SAR dates, as
//! `era5-forcing` provides them) agrees with the daily-temperature path.

mod common;

use common::{d, sar_dates, site};
use permafrost_pecm::{Forcing, OnsetParams, Params};

#[test]
fn sar_date_forcing_matches_the_daily_forcing() {
    let (start, t) = site(17);
    let daily = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let dates = sar_dates(d(2015, 10, 3), 150);
    // What an external provider would hand over: values on the SAR dates
    // and the cycle table.
    let idx: Vec<usize> = dates
        .iter()
        .map(|x| daily.sample_index(*x).unwrap())
        .collect();
    let addt: Vec<f64> = idx.iter().map(|&i| daily.addt()[i]).collect();
    let addf: Vec<f64> = idx.iter().map(|&i| daily.addf()[i]).collect();
    let sampled = Forcing::new(dates.clone(), addt, addf, daily.cycles().to_vec()).unwrap();

    let pecm = Params::new().build().unwrap();
    for r0 in [0.2, 1.5] {
        let a = pecm.bases(&daily, &dates, r0).unwrap();
        let b = pecm.bases(&sampled, &dates, r0).unwrap();
        assert_eq!(a.long_term(), b.long_term());
        let same = a
            .seasonal_raw()
            .iter()
            .zip(b.seasonal_raw())
            .filter(|(x, y)| x == y)
            .count();
        assert!(same >= 145, "{same} of 150 raw index values agree");
        // The same closure decisions (they use the cycle table's end values).
        let adj = |x: &permafrost_pecm::Bases| {
            x.cycles()
                .iter()
                .map(|c| (c.ratio, c.adjusted))
                .collect::<Vec<_>>()
        };
        assert_eq!(adj(&a), adj(&b));
        // The sampled peaks miss the daily maximum by a little, and only the
        // cycles covered by the SAR dates set the normaliser.
        let (na, nb) = (a.normaliser(), b.normaliser());
        assert!(nb <= na * 1.0000001 && nb > 0.97 * na, "{na} vs {nb}");
        assert!(b.normaliser_from_complete());
        assert!(b.normaliser_cycles() < a.normaliser_cycles());
        // Fits on the same series: the same rate, amplitudes scaled by N.
        let truth = pecm.model(&a, -0.004, 0.03).unwrap();
        let fa = pecm.fit_timeseries(&a, &truth, None).unwrap();
        let fb = pecm.fit_timeseries(&b, &truth, None).unwrap();
        assert!((fa.linear_rate.value - fb.linear_rate.value).abs() < 2e-4);
        let raw = (fa.seasonal_coefficient_raw.value - fb.seasonal_coefficient_raw.value).abs();
        assert!(raw < 0.02 * fa.seasonal_coefficient_raw.value, "{raw}");
    }
}

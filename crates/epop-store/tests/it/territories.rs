use epop_store::{territories, testing};

#[tokio::test]
async fn all_regions_and_departments_are_loaded() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        let regions = territories::regions(&mut c).await.unwrap();
        let departments = territories::departments(&mut c).await.unwrap();
        assert_eq!(regions.len(), 18, "{:?}", db.engine());
        assert_eq!(departments.len(), 101, "{:?}", db.engine());
        // In French order on both engines: « Île-de-France » among the I.
        let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
        let ile = names.iter().position(|n| *n == "Île-de-France").unwrap();
        assert_eq!(names[ile - 1], "Hauts-de-France", "{names:?}");
        assert_eq!(names[ile + 1], "La Réunion", "{names:?}");
        for (code, name, region) in [
            ("2A", "Corse-du-Sud", "94"),
            ("2B", "Haute-Corse", "94"),
            ("31", "Haute-Garonne", "76"),
            ("65", "Hautes-Pyrénées", "76"),
            ("09", "Ariège", "76"),
            ("34", "Hérault", "76"),
            ("11", "Aude", "76"),
            ("80", "Somme", "32"),
            ("59", "Nord", "32"),
            ("33", "Gironde", "75"),
            ("86", "Vienne", "75"),
            ("47", "Lot-et-Garonne", "75"),
            ("971", "Guadeloupe", "01"),
            ("974", "La Réunion", "04"),
            ("976", "Mayotte", "06"),
        ] {
            let d = territories::department(&mut c, code)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{code}"));
            assert_eq!(d.name, name);
            assert_eq!(d.region_code, region, "{code}");
        }
        assert!(
            territories::department(&mut c, "20")
                .await
                .unwrap()
                .is_none()
        );
        let names: Vec<_> = regions.iter().map(|r| r.name.as_str()).collect();
        for n in [
            "Occitanie",
            "Hauts-de-France",
            "Nouvelle-Aquitaine",
            "Île-de-France",
            "Mayotte",
        ] {
            assert!(names.contains(&n), "{n}");
        }
        // Every overseas département is its own region.
        for code in ["971", "972", "973", "974", "976"] {
            let d = territories::department(&mut c, code)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                departments
                    .iter()
                    .filter(|x| x.region_code == d.region_code)
                    .count(),
                1
            );
        }
    }
}

"""Static geography tables behind the simulated catalogue.

Kept apart from the generator so the generator stays readable. The names are real-looking on
purpose (Unicode cities, free-text ISP names) because that is what breaks tables, CSV exports and
search in the real shop. Zip templates: ``#`` is a digit, ``@`` an upper-case letter.
"""

from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    name: str
    region: str
    region_name: str
    lat: float
    lon: float
    zip_template: str


class Isp(NamedTuple):
    name: str
    asn: int
    as_label: str
    mobile: bool  # whether it also runs a mobile network


class Country(NamedTuple):
    code: str
    name: str
    continent_code: str
    weight: float
    first_octets: tuple[int, ...]
    isps: tuple[Isp, ...]
    cities: tuple[City, ...]


CONTINENTS: dict[str, str] = {
    "NA": "North America",
    "SA": "South America",
    "EU": "Europe",
    "AS": "Asia",
    "AF": "Africa",
    "OC": "Oceania",
}


def _c(name: str, region: str, region_name: str, lat: float, lon: float, zt: str) -> City:
    return City(name, region, region_name, lat, lon, zt)


def _i(name: str, asn: int, label: str, mobile: bool = False) -> Isp:
    return Isp(name, asn, label, mobile)


COUNTRIES: tuple[Country, ...] = (
    Country("US", "United States", "NA", 20.0, (24, 67, 73, 98, 108, 174), (
        _i("Comcast Cable", 7922, "Comcast Cable Communications, LLC"),
        _i("Charter Communications", 20115, "Charter Communications"),
        _i("AT&T Services", 7018, "AT&T Services, Inc.", True),
        _i("Verizon Wireless", 22394, "Cellco Partnership DBA Verizon Wireless", True),
        _i("T-Mobile USA", 21928, "T-Mobile USA, Inc.", True),
        _i("Cox Communications", 22773, "Cox Communications Inc."),
    ), (
        _c("New York", "NY", "New York", 40.7128, -74.0060, "100##"),
        _c("Los Angeles", "CA", "California", 34.0522, -118.2437, "900##"),
        _c("Chicago", "IL", "Illinois", 41.8781, -87.6298, "606##"),
        _c("Houston", "TX", "Texas", 29.7604, -95.3698, "770##"),
        _c("Miami", "FL", "Florida", 25.7617, -80.1918, "331##"),
        _c("Seattle", "WA", "Washington", 47.6062, -122.3321, "981##"),
        _c("Boston", "MA", "Massachusetts", 42.3601, -71.0589, "021##"),
        _c("Coeur d'Alene", "ID", "Idaho", 47.6777, -116.7805, "838##"),
    )),
    Country("DE", "Germany", "EU", 8.0, (31, 46, 79, 84, 91), (
        _i("Deutsche Telekom AG", 3320, "Deutsche Telekom AG", True),
        _i("Vodafone GmbH", 3209, "Vodafone GmbH", True),
        _i("Telefonica Germany", 6805, "Telefonica Germany GmbH & Co.OHG", True),
        _i("1&1 Versatel", 8881, "1&1 Versatel Deutschland GmbH"),
        _i("NetCologne", 8422, "NetCologne Gesellschaft für Telekommunikation mbH"),
    ), (
        _c("Berlin", "BE", "Land Berlin", 52.5200, 13.4050, "10###"),
        _c("München", "BY", "Bayern", 48.1351, 11.5820, "80###"),
        _c("Hamburg", "HH", "Hamburg", 53.5511, 9.9937, "20###"),
        _c("Köln", "NW", "Nordrhein-Westfalen", 50.9375, 6.9603, "50###"),
        _c("Düsseldorf", "NW", "Nordrhein-Westfalen", 51.2277, 6.7735, "40###"),
        _c("Frankfurt am Main", "HE", "Hessen", 50.1109, 8.6821, "60###"),
    )),
    Country("GB", "United Kingdom", "EU", 7.0, (2, 51, 81, 86, 109), (
        _i("British Telecommunications PLC", 2856, "British Telecommunications PLC", True),
        _i("Virgin Media", 5089, "Virgin Media Limited"),
        _i("Sky Broadband", 5607, "Sky UK Limited"),
        _i("Vodafone UK", 25135, "Vodafone Limited", True),
        _i("TalkTalk", 13285, "TalkTalk Communications Limited"),
    ), (
        _c("London", "ENG", "England", 51.5074, -0.1278, "SW# #@@"),
        _c("Manchester", "ENG", "England", 53.4808, -2.2426, "M# #@@"),
        _c("Birmingham", "ENG", "England", 52.4862, -1.8904, "B## #@@"),
        _c("Edinburgh", "SCT", "Scotland", 55.9533, -3.1883, "EH# #@@"),
        _c("Cardiff", "WLS", "Wales", 51.4816, -3.1791, "CF## #@@"),
    )),
    Country("FR", "France", "EU", 6.0, (2, 37, 78, 82, 90), (
        _i("Orange S.A.", 3215, "Orange S.A.", True),
        _i("Free SAS", 12322, "Free SAS", True),
        _i("SFR", 15557, "Societe Francaise Du Radiotelephone - SFR SA", True),
        _i("Bouygues Telecom", 5410, "Bouygues Telecom SA", True),
    ), (
        _c("Paris", "IDF", "Île-de-France", 48.8566, 2.3522, "750##"),
        _c("Lyon", "ARA", "Auvergne-Rhône-Alpes", 45.7640, 4.8357, "690##"),
        _c("Marseille", "PAC", "Provence-Alpes-Côte d'Azur", 43.2965, 5.3698, "130##"),
        _c("Besançon", "BFC", "Bourgogne-Franche-Comté", 47.2378, 6.0241, "250##"),
        _c("Saint-Étienne", "ARA", "Auvergne-Rhône-Alpes", 45.4397, 4.3872, "420##"),
    )),
    Country("BR", "Brazil", "SA", 5.0, (177, 179, 186, 189, 200), (
        _i("Claro NXT Telecomunicacoes Ltda", 28573, "Claro NXT Telecomunicacoes Ltda", True),
        _i("Telefônica Brasil S.A", 18881, "TELEFÔNICA BRASIL S.A", True),
        _i("TIM S/A", 26615, "TIM S/A", True),
        _i("Oi S.A.", 7738, "Telemar Norte Leste S.A."),
    ), (
        _c("São Paulo", "SP", "São Paulo", -23.5505, -46.6333, "01###-###"),
        _c("Rio de Janeiro", "RJ", "Rio de Janeiro", -22.9068, -43.1729, "20###-###"),
        _c("Belo Horizonte", "MG", "Minas Gerais", -19.9167, -43.9345, "30###-###"),
        _c("Brasília", "DF", "Federal District", -15.7939, -47.8828, "70###-###"),
        _c("Florianópolis", "SC", "Santa Catarina", -27.5954, -48.5480, "88###-###"),
    )),
    Country("RU", "Russia", "EU", 5.0, (5, 37, 46, 95, 178), (
        _i("Rostelecom", 12389, "PJSC Rostelecom"),
        _i("MTS PJSC", 8359, "MTS PJSC", True),
        _i("PJSC MegaFon", 31133, "PJSC MegaFon", True),
        _i("Beeline", 3216, "PJSC \"Vimpelcom\"", True),
        _i("ER-Telecom", 9049, "JSC \"ER-Telecom Holding\""),
    ), (
        _c("Москва", "MOW", "Москва", 55.7558, 37.6173, "1#####"),
        _c("Санкт-Петербург", "SPE", "Санкт-Петербург", 59.9311, 30.3609, "19####"),
        _c("Новосибирск", "NVS", "Новосибирская область", 55.0084, 82.9357, "630###"),
        _c("Екатеринбург", "SVE", "Свердловская область", 56.8389, 60.6057, "620###"),
        _c("Kazan", "TA", "Tatarstan Republic", 55.7963, 49.1088, "420###"),
    )),
    Country("JP", "Japan", "AS", 4.0, (60, 110, 126, 133, 153), (
        _i("NTT Communications", 4713, "NTT Communications Corporation"),
        _i("KDDI Corporation", 2516, "KDDI CORPORATION", True),
        _i("SoftBank Corp.", 17676, "SoftBank Corp.", True),
        _i("NTT DOCOMO", 9605, "NTT DOCOMO, INC.", True),
    ), (
        _c("東京", "13", "東京都", 35.6762, 139.6503, "1##-####"),
        _c("大阪", "27", "大阪府", 34.6937, 135.5023, "5##-####"),
        _c("Yokohama", "14", "Kanagawa", 35.4437, 139.6380, "2##-####"),
        _c("Sapporo", "01", "Hokkaido", 43.0618, 141.3545, "06#-####"),
    )),
    Country("IN", "India", "AS", 4.0, (49, 103, 106, 117, 152), (
        _i("Reliance Jio Infocomm Limited", 55836, "Reliance Jio Infocomm Limited", True),
        _i("Bharti Airtel Ltd.", 24560, "Bharti Airtel Ltd., Telemedia Services", True),
        _i("Vodafone Idea Ltd", 55410, "Vodafone Idea Ltd", True),
        _i("ACT Fibernet", 24309, "Atria Convergence Technologies Pvt. Ltd."),
    ), (
        _c("Mumbai", "MH", "Maharashtra", 19.0760, 72.8777, "400###"),
        _c("Delhi", "DL", "National Capital Territory of Delhi", 28.7041, 77.1025, "110###"),
        _c("Bengaluru", "KA", "Karnataka", 12.9716, 77.5946, "560###"),
        _c("Chennai", "TN", "Tamil Nadu", 13.0827, 80.2707, "600###"),
    )),
    Country("CA", "Canada", "NA", 4.0, (24, 70, 99, 142, 184), (
        _i("Rogers Communications Canada Inc.", 812, "Rogers Communications Canada Inc.", True),
        _i("Bell Canada", 577, "Bell Canada", True),
        _i("Shaw Communications Inc.", 6327, "Shaw Communications Inc."),
        _i("Vidéotron Ltée", 5769, "Videotron Telecom Ltee", True),
    ), (
        _c("Toronto", "ON", "Ontario", 43.6532, -79.3832, "M#@ #@#"),
        _c("Montréal", "QC", "Québec", 45.5017, -73.5673, "H#@ #@#"),
        _c("Vancouver", "BC", "British Columbia", 49.2827, -123.1207, "V#@ #@#"),
        _c("Calgary", "AB", "Alberta", 51.0447, -114.0719, "T#@ #@#"),
    )),
    Country("NL", "Netherlands", "EU", 4.0, (31, 62, 77, 84, 145), (
        _i("KPN B.V.", 1136, "KPN B.V.", True),
        _i("VodafoneZiggo", 33915, "Vodafone Libertel B.V.", True),
        _i("T-Mobile Netherlands", 50266, "T-Mobile Netherlands B.V.", True),
        _i("DELTA Fiber Nederland", 15435, "DELTA Fiber Nederland B.V."),
    ), (
        _c("Amsterdam", "NH", "North Holland", 52.3676, 4.9041, "10## @@"),
        _c("Rotterdam", "ZH", "South Holland", 51.9244, 4.4777, "30## @@"),
        _c("Den Haag", "ZH", "South Holland", 52.0705, 4.3007, "25## @@"),
        _c("Utrecht", "UT", "Utrecht", 52.0907, 5.1214, "35## @@"),
    )),
    Country("IT", "Italy", "EU", 3.0, (2, 79, 87, 93, 151), (
        _i("Telecom Italia", 3269, "Telecom Italia S.p.A.", True),
        _i("Vodafone Italia S.p.A.", 30722, "Vodafone Italia S.p.A.", True),
        _i("Wind Tre S.p.A.", 1267, "Wind Tre S.p.A.", True),
        _i("Fastweb", 12874, "Fastweb SpA"),
    ), (
        _c("Roma", "RM", "Lazio", 41.9028, 12.4964, "001##"),
        _c("Milano", "MI", "Lombardia", 45.4642, 9.1900, "201##"),
        _c("Napoli", "NA", "Campania", 40.8518, 14.2681, "801##"),
        _c("Forlì", "FC", "Emilia-Romagna", 44.2227, 12.0407, "471##"),
    )),
    Country("ES", "Spain", "EU", 3.0, (2, 80, 83, 88, 95), (
        _i("Telefonica de Espana", 3352, "TELEFONICA DE ESPANA S.A.U.", True),
        _i("Vodafone Spain", 12430, "VODAFONE ESPANA S.A.U.", True),
        _i("Orange Espagne SA", 12479, "Orange Espagne SA", True),
    ), (
        _c("Madrid", "MD", "Comunidad de Madrid", 40.4168, -3.7038, "280##"),
        _c("Barcelona", "CT", "Catalunya", 41.3851, 2.1734, "080##"),
        _c("València", "VC", "Comunitat Valenciana", 39.4699, -0.3763, "460##"),
        _c("Málaga", "AN", "Andalucía", 36.7213, -4.4214, "290##"),
    )),
    Country("PL", "Poland", "EU", 3.0, (31, 37, 83, 89, 188), (
        _i("Orange Polska Spolka Akcyjna", 5617, "Orange Polska Spolka Akcyjna", True),
        _i("Netia SA", 12741, "Netia SA"),
        _i("P4 Sp. z o.o.", 12912, "T-Mobile Polska S.A.", True),
        _i("UPC Polska", 6830, "Liberty Global B.V."),
    ), (
        _c("Warszawa", "14", "Mazowieckie", 52.2297, 21.0122, "0#-###"),
        _c("Kraków", "12", "Małopolskie", 50.0647, 19.9450, "3#-###"),
        _c("Łódź", "10", "Łódzkie", 51.7592, 19.4560, "9#-###"),
        _c("Gdańsk", "22", "Pomorskie", 54.3520, 18.6466, "80-###"),
    )),
    Country("UA", "Ukraine", "EU", 2.0, (31, 46, 93, 176, 193), (
        _i("Kyivstar PJSC", 15895, "Kyivstar PJSC", True),
        _i("Ukrtelecom", 6849, "PJSC \"Ukrtelecom\""),
        _i("Lifecell LLC", 34058, "Lifecell LLC", True),
    ), (
        _c("Київ", "30", "Київ", 50.4501, 30.5234, "0####"),
        _c("Львів", "46", "Львівська область", 49.8397, 24.0297, "79###"),
        _c("Odesa", "51", "Odessa", 46.4825, 30.7233, "65###"),
    )),
    Country("TR", "Turkey", "AS", 2.0, (78, 85, 88, 95, 176), (
        _i("Turk Telekom", 9121, "Turk Telekomunikasyon Anonim Sirketi"),
        _i("Turkcell", 16135, "Turkcell A.S.", True),
        _i("Vodafone Net", 15924, "Vodafone Net Iletisim Hizmetleri Anonim Sirketi", True),
    ), (
        _c("İstanbul", "34", "İstanbul", 41.0082, 28.9784, "34###"),
        _c("Ankara", "06", "Ankara", 39.9334, 32.8597, "06###"),
        _c("İzmir", "35", "İzmir", 38.4237, 27.1428, "35###"),
    )),
    Country("MX", "Mexico", "NA", 2.0, (177, 187, 189, 200, 201), (
        _i("Telmex", 8151, "UNINET", False),
        _i("Telcel", 28403, "Radiomovil Dipsa, S.A. de C.V.", True),
        _i("Totalplay", 22884, "TOTAL PLAY TELECOMUNICACIONES SA DE CV"),
    ), (
        _c("Ciudad de México", "CMX", "Ciudad de México", 19.4326, -99.1332, "0####"),
        _c("Guadalajara", "JAL", "Jalisco", 20.6597, -103.3496, "44###"),
        _c("Monterrey", "NLE", "Nuevo León", 25.6866, -100.3161, "64###"),
    )),
    Country("AU", "Australia", "OC", 2.0, (1, 49, 101, 120, 203), (
        _i("Telstra Corporation Ltd", 1221, "Telstra Corporation Ltd", True),
        _i("Optus", 4804, "Optus Internet Pty Ltd", True),
        _i("TPG Telecom Limited", 7545, "TPG Telecom Limited"),
    ), (
        _c("Sydney", "NSW", "New South Wales", -33.8688, 151.2093, "2###"),
        _c("Melbourne", "VIC", "Victoria", -37.8136, 144.9631, "3###"),
        _c("Brisbane", "QLD", "Queensland", -27.4698, 153.0251, "4###"),
    )),
    Country("KR", "South Korea", "AS", 2.0, (1, 58, 112, 121, 211), (
        _i("Korea Telecom", 4766, "Korea Telecom", True),
        _i("SK Broadband", 9318, "SK Broadband Co Ltd", True),
        _i("LG Uplus", 17858, "LG POWERCOMM", True),
    ), (
        _c("서울", "11", "서울특별시", 37.5665, 126.9780, "0####"),
        _c("Busan", "26", "Busan", 35.1796, 129.0756, "4####"),
    )),
    Country("SE", "Sweden", "EU", 1.5, (78, 83, 90, 155, 213), (
        _i("Telia Company AB", 3301, "Telia Company AB", True),
        _i("Tele2 Sverige AB", 1257, "Tele2 Sverige AB", True),
        _i("Bahnhof AB", 8473, "Bahnhof AB"),
    ), (
        _c("Stockholm", "AB", "Stockholm", 59.3293, 18.0686, "1## ##"),
        _c("Göteborg", "O", "Västra Götaland", 57.7089, 11.9746, "4## ##"),
        _c("Malmö", "M", "Skåne", 55.6050, 13.0038, "2## ##"),
    )),
    Country("CH", "Switzerland", "EU", 1.5, (31, 46, 85, 178, 213), (
        _i("Swisscom (Schweiz) AG", 3303, "Swisscom (Schweiz) AG", True),
        _i("Sunrise GmbH", 6730, "Sunrise GmbH", True),
        _i("Salt Mobile SA", 15796, "Salt Mobile SA", True),
    ), (
        _c("Zürich", "ZH", "Zürich", 47.3769, 8.5417, "80##"),
        _c("Genève", "GE", "Genève", 46.2044, 6.1432, "12##"),
        _c("Bern", "BE", "Bern", 46.9480, 7.4474, "30##"),
    )),
    Country("AT", "Austria", "EU", 1.0, (62, 77, 80, 91, 178), (
        _i("A1 Telekom Austria AG", 8447, "A1 Telekom Austria AG", True),
        _i("Magenta Telekom", 8412, "T-Mobile Austria GmbH", True),
    ), (
        _c("Wien", "9", "Wien", 48.2082, 16.3738, "1###"),
        _c("Graz", "6", "Steiermark", 47.0707, 15.4395, "80##"),
    )),
    Country("BE", "Belgium", "EU", 1.0, (78, 81, 91, 109, 178), (
        _i("Proximus NV", 5432, "Proximus NV", True),
        _i("Telenet BVBA", 6848, "Telenet BV"),
    ), (
        _c("Bruxelles", "BRU", "Brussels Capital", 50.8503, 4.3517, "1###"),
        _c("Antwerpen", "VAN", "Flanders", 51.2194, 4.4025, "2###"),
        _c("Liège", "WLG", "Wallonia", 50.6326, 5.5797, "4###"),
    )),
    Country("CZ", "Czechia", "EU", 1.0, (31, 46, 77, 89, 213), (
        _i("O2 Czech Republic", 5610, "O2 Czech Republic, a.s.", True),
        _i("Vodafone Czech Republic", 16019, "Vodafone Czech Republic a.s.", True),
    ), (
        _c("Praha", "10", "Hlavní město Praha", 50.0755, 14.4378, "1## ##"),
        _c("Brno", "64", "Jihomoravský kraj", 49.1951, 16.6068, "6## ##"),
        _c("Ústí nad Labem", "42", "Ústecký kraj", 50.6607, 14.0323, "4## ##"),
    )),
    Country("RO", "Romania", "EU", 1.0, (5, 79, 86, 89, 188), (
        _i("RCS & RDS", 8708, "RCS & RDS SA", True),
        _i("Orange Romania", 9050, "Orange Romania S.A.", True),
    ), (
        _c("București", "B", "București", 44.4268, 26.1025, "0#####"),
        _c("Cluj-Napoca", "CJ", "Cluj", 46.7712, 23.6236, "400###"),
        _c("Timișoara", "TM", "Timiș", 45.7489, 21.2087, "300###"),
    )),
    Country("PT", "Portugal", "EU", 1.0, (2, 85, 89, 94, 188), (
        _i("MEO", 3243, "MEO - SERVICOS DE COMUNICACOES E MULTIMEDIA S.A.", True),
        _i("NOS Comunicacoes", 2860, "NOS COMUNICACOES, S.A.", True),
    ), (
        _c("Lisboa", "11", "Lisboa", 38.7223, -9.1393, "1###-###"),
        _c("Porto", "13", "Porto", 41.1579, -8.6291, "4###-###"),
    )),
    Country("AR", "Argentina", "SA", 1.0, (181, 186, 190, 200, 201), (
        _i("Telecom Argentina S.A.", 10318, "Telecom Argentina S.A.", True),
        _i("Telefonica de Argentina", 22927, "Telefonica de Argentina", True),
    ), (
        _c("Buenos Aires", "C", "Buenos Aires F.D.", -34.6037, -58.3816, "C####@@@"),
        _c("Córdoba", "X", "Córdoba", -31.4201, -64.1888, "5###"),
    )),
    Country("CO", "Colombia", "SA", 1.0, (181, 186, 190, 191, 200), (
        _i("Colombia Movil", 27831, "Colombia Movil", True),
        _i("Comcel S.A.", 26611, "COMCEL S.A.", True),
    ), (
        _c("Bogotá", "DC", "Bogotá D.C.", 4.7110, -74.0721, "11####"),
        _c("Medellín", "ANT", "Antioquia", 6.2476, -75.5658, "05####"),
    )),
    Country("CL", "Chile", "SA", 0.8, (152, 181, 186, 190, 200), (
        _i("VTR BANDA ANCHA S.A.", 22047, "VTR BANDA ANCHA S.A."),
        _i("Entel Chile", 27651, "Entel Chile S.A.", True),
    ), (
        _c("Santiago", "RM", "Santiago Metropolitan", -33.4489, -70.6693, "83#####"),
        _c("Valparaíso", "VS", "Valparaíso", -33.0472, -71.6127, "23#####"),
    )),
    Country("ZA", "South Africa", "AF", 1.0, (41, 102, 105, 154, 196), (
        _i("Vodacom", 29975, "VODACOM", True),
        _i("MTN SA", 16637, "MTNNS-AS", True),
        _i("Telkom SA Ltd.", 37457, "Telkom SA Ltd."),
    ), (
        _c("Johannesburg", "GP", "Gauteng", -26.2041, 28.0473, "2###"),
        _c("Cape Town", "WC", "Western Cape", -33.9249, 18.4241, "8###"),
    )),
    Country("EG", "Egypt", "AF", 0.6, (41, 102, 156, 196, 197), (
        _i("TE Data", 8452, "TE-AS", True),
        _i("Vodafone Egypt", 24863, "LINKdotNET-AS", True),
    ), (
        _c("القاهرة", "C", "محافظة القاهرة", 30.0444, 31.2357, "11###"),
        _c("Alexandria", "ALX", "Alexandria", 31.2001, 29.9187, "21###"),
    )),
    Country("NG", "Nigeria", "AF", 0.6, (41, 102, 105, 129, 197), (
        _i("MTN Nigeria", 29465, "MTN NIGERIA Communication limited", True),
        _i("Airtel Networks Limited", 36873, "Airtel Networks Limited", True),
    ), (
        _c("Lagos", "LA", "Lagos", 6.5244, 3.3792, "1#####"),
        _c("Abuja", "FC", "Federal Capital Territory", 9.0765, 7.3986, "9#####"),
    )),
    Country("ID", "Indonesia", "AS", 1.5, (36, 103, 110, 114, 182), (
        _i("PT Telekomunikasi Indonesia", 7713, "PT Telekomunikasi Indonesia", True),
        _i("PT. Telekomunikasi Selular", 23693, "PT. Telekomunikasi Selular", True),
        _i("PT Indosat Tbk", 4761, "INDOSAT-INP-AP", True),
    ), (
        _c("Jakarta", "JK", "Jakarta", -6.2088, 106.8456, "1####"),
        _c("Surabaya", "JI", "East Java", -7.2575, 112.7521, "60###"),
        _c("Bandung", "JB", "West Java", -6.9175, 107.6191, "40###"),
    )),
    Country("VN", "Vietnam", "AS", 1.2, (14, 27, 113, 115, 171), (
        _i("Viettel Group", 7552, "Viettel Group", True),
        _i("VNPT Corp", 45899, "VNPT Corp", True),
        _i("FPT Telecom", 18403, "FPT Telecom Company"),
    ), (
        _c("Hà Nội", "HN", "Hà Nội", 21.0278, 105.8342, "1#####"),
        _c("Thành phố Hồ Chí Minh", "SG", "Hồ Chí Minh", 10.8231, 106.6297, "7#####"),
    )),
    Country("TH", "Thailand", "AS", 1.0, (1, 27, 49, 110, 171), (
        _i("True Internet", 7470, "TRUE INTERNET Co.,Ltd.", True),
        _i("Advanced Wireless Network", 131445, "Advanced Wireless Network Company Limited", True),
    ), (
        _c("กรุงเทพมหานคร", "10", "กรุงเทพมหานคร", 13.7563, 100.5018, "10###"),
        _c("Chiang Mai", "50", "Chiang Mai", 18.7883, 98.9853, "50###"),
    )),
    Country("PH", "Philippines", "AS", 1.0, (49, 112, 120, 124, 175), (
        _i("Globe Telecom", 132199, "Globe Telecom Inc.", True),
        _i("PLDT", 9299, "Philippine Long Distance Telephone Company", True),
    ), (
        _c("Manila", "00", "Metro Manila", 14.5995, 120.9842, "1###"),
        _c("Cebu City", "07", "Central Visayas", 10.3157, 123.8854, "6###"),
    )),
    Country("MY", "Malaysia", "AS", 0.8, (14, 60, 115, 175, 202), (
        _i("TM Net", 4788, "TM Net, Internet Service Provider", True),
        _i("Maxis Broadband", 9534, "Maxis Broadband Sdn.Bhd", True),
    ), (
        _c("Kuala Lumpur", "14", "Kuala Lumpur", 3.1390, 101.6869, "5####"),
        _c("George Town", "07", "Penang", 5.4141, 100.3288, "10###"),
    )),
    Country("SG", "Singapore", "AS", 0.8, (8, 42, 116, 118, 175), (
        _i("Singtel Fibre Broadband", 9506, "Singtel Fibre Broadband", True),
        _i("StarHub Ltd", 4657, "StarHub Ltd", True),
    ), (
        _c("Singapore", "01", "Central Singapore", 1.3521, 103.8198, "######"),
    )),
    Country("HK", "Hong Kong", "AS", 0.8, (1, 42, 58, 112, 119), (
        _i("HGC Global Communications", 9304, "HGC Global Communications Limited", True),
        _i("Hong Kong Broadband Network", 9269, "Hong Kong Broadband Network Ltd."),
    ), (
        _c("Hong Kong", "HCW", "Central and Western", 22.3193, 114.1694, ""),
        _c("九龍", "KKC", "Kowloon City", 22.3282, 114.1916, ""),
    )),
    Country("TW", "Taiwan", "AS", 0.8, (1, 36, 61, 114, 220), (
        _i("Chunghwa Telecom", 3462, "Data Communication Business Group", True),
        _i("Taiwan Mobile", 9924, "Taiwan Fixed Network CO., LTD.", True),
    ), (
        _c("臺北市", "TPE", "Taipei", 25.0330, 121.5654, "1##"),
        _c("Kaohsiung", "KHH", "Kaohsiung", 22.6273, 120.3014, "8##"),
    )),
    Country("IL", "Israel", "AS", 0.6, (31, 46, 77, 79, 109), (
        _i("Bezeq International", 8551, "Bezeq International-Ltd"),
        _i("Partner Communications", 12400, "Partner Communications Ltd.", True),
    ), (
        _c("Tel Aviv", "TA", "Tel Aviv", 32.0853, 34.7818, "6######"),
        _c("ירושלים", "JM", "Jerusalem", 31.7683, 35.2137, "9######"),
    )),
    Country("AE", "United Arab Emirates", "AS", 0.6, (5, 31, 86, 91, 94), (
        _i("Emirates Telecommunications Corporation", 5384, "Etisalat", True),
        _i("Emirates Integrated Telecommunications", 15802, "du", True),
    ), (
        _c("Dubai", "DU", "Dubai", 25.2048, 55.2708, ""),
        _c("Abu Dhabi", "AZ", "Abu Dhabi", 24.4539, 54.3773, ""),
    )),
    Country("KZ", "Kazakhstan", "AS", 0.5, (2, 37, 89, 95, 178), (
        _i("JSC Kazakhtelecom", 9198, "JSC Kazakhtelecom", True),
        _i("Kcell JSC", 29355, "Kcell JSC", True),
    ), (
        _c("Алматы", "75", "Алматы", 43.2220, 76.8512, "050###"),
        _c("Astana", "71", "Astana", 51.1694, 71.4491, "010###"),
    )),
    Country("FI", "Finland", "EU", 0.5, (37, 62, 84, 85, 91), (
        _i("Elisa Oyj", 719, "Elisa Oyj", True),
        _i("DNA Oyj", 16086, "DNA Oyj", True),
    ), (
        _c("Helsinki", "18", "Uusimaa", 60.1699, 24.9384, "00###"),
        _c("Jyväskylä", "08", "Keski-Suomi", 62.2426, 25.7473, "40###"),
    )),
    Country("NO", "Norway", "EU", 0.5, (46, 77, 84, 88, 92), (
        _i("Telenor Norge AS", 2119, "Telenor Norge AS", True),
        _i("Telia Norge AS", 12929, "Telia Norge AS", True),
    ), (
        _c("Oslo", "03", "Oslo", 59.9139, 10.7522, "0###"),
        _c("Tromsø", "54", "Troms og Finnmark", 69.6492, 18.9553, "9###"),
    )),
    Country("IE", "Ireland", "EU", 0.5, (37, 46, 78, 86, 89), (
        _i("Eircom Limited", 5466, "Eircom Limited", True),
        _i("Vodafone Ireland", 15502, "Vodafone Ireland Limited", True),
    ), (
        _c("Dublin", "L", "Leinster", 53.3498, -6.2603, "D## @###"),
        _c("Cork", "M", "Munster", 51.8985, -8.4756, "T## @###"),
    )),
    Country("GR", "Greece", "EU", 0.5, (2, 46, 79, 94, 176), (
        _i("Hellenic Telecommunications Organisation", 6799, "OTE SA", True),
        _i("Vodafone-panafon", 3329, "Vodafone-panafon Hellenic Telecommunications", True),
    ), (
        _c("Αθήνα", "I", "Αττική", 37.9838, 23.7275, "10# ##"),
        _c("Thessaloniki", "B", "Central Macedonia", 40.6401, 22.9444, "54# ##"),
    )),
    Country("NZ", "New Zealand", "OC", 0.4, (49, 101, 115, 122, 203), (
        _i("Spark New Zealand", 4771, "Spark New Zealand Trading Ltd.", True),
        _i("One NZ", 9500, "One New Zealand Group Limited", True),
    ), (
        _c("Auckland", "AUK", "Auckland", -36.8485, 174.7633, "10##"),
        _c("Wellington", "WGN", "Wellington", -41.2865, 174.7762, "60##"),
    )),
)

# Data-centre networks: a "hosting" proxy's ISP is one of these whatever its country.
HOSTING_ISPS: tuple[Isp, ...] = (
    _i("DigitalOcean, LLC", 14061, "DIGITALOCEAN-ASN"),
    _i("OVH SAS", 16276, "OVH SAS"),
    _i("Hetzner Online GmbH", 24940, "Hetzner Online GmbH"),
    _i("Amazon.com, Inc.", 16509, "AMAZON-02"),
    _i("Akamai Technologies (Linode)", 63949, "Akamai Connected Cloud"),
    _i("The Constant Company (Vultr)", 20473, "AS-CHOOPA"),
    _i("M247 Europe SRL", 9009, "M247 Europe SRL"),
    _i("Leaseweb Netherlands B.V.", 60781, "LeaseWeb Netherlands B.V."),
)
